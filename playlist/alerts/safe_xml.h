// libxml2, hardened for XML from a share. The classic attacks on an XML reader all go through the
// DOCTYPE: external entities that read local files or URLs (XXE), nested entities that expand a few
// bytes into gigabytes ("billion laughs"), an external DTD fetched from the network. CAP is defined
// by a schema and never carries a DOCTYPE, so one is refused outright; the parser options and SAX
// hooks below would stop each attack on their own as well.
#pragma once

#include "playlist/base/error.h"

#include <libxml/tree.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace signage {

struct XmlDocFree {
    void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDoc = std::unique_ptr<xmlDoc, XmlDocFree>;

// Parses a whole document. Refused: more than max_bytes, a DOCTYPE, anything not well-formed.
// libxml2 prints nothing (its messages are collected on this thread while parsing); the first one
// becomes the Error, with the file and the line.
Result<XmlDoc> parse_xml_safely(std::string_view bytes, const std::string& file, size_t max_bytes);

// The first child element named `local_name` in namespace `ns`, or nullptr.
const xmlNode* xml_child(const xmlNode* parent, const char* ns, const char* local_name);

// The element's own text (its text and CDATA children, not those of child elements), as UTF-8.
std::string xml_text(const xmlNode* element);

// The line the element starts on (0 when unknown).
int xml_line(const xmlNode* node);

}  // namespace signage
