#include "playlist/alerts/safe_xml.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include <climits>
#include <mutex>
#include <vector>

namespace signage {

namespace {

// No XML_PARSE_NOENT (entities substituted), DTDLOAD / DTDATTR / DTDVALID (the external DTD loaded),
// XINCLUDE or HUGE (libxml2's own size and depth limits lifted). NONET in case anything still
// tried to fetch a URL. BIG_LINES: line numbers past 65535 stay right in errors.
constexpr int kOptions = XML_PARSE_NONET | XML_PARSE_BIG_LINES;
constexpr size_t kMaxCollected = 8;

struct Collected {
    const std::string& file;
    std::vector<Error> errors;
};

std::string message_of(const xmlError* error)
{
    std::string text = error->message ? error->message : "unknown XML error";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return "not well-formed XML: " + text;
}

void collect(void* data, xmlError* error)
{
    auto* sink = static_cast<Collected*>(data);
    if (!sink || !error || error->level < XML_ERR_ERROR || sink->errors.size() >= kMaxCollected)
        return;
    sink->errors.push_back(Error{sink->file, error->line, message_of(error)});
}

void say_nothing(void*, const char*, ...) {}

// Routes every libxml2 message of this thread to `sink` for the lifetime of the object and then puts
// the previous handlers back. libxml2 2.9 keeps these handlers per thread; messages raised without
// a parser context (encoding conversion, for one) reach only these, never the context's.
class LibxmlErrorsTo {
public:
    explicit LibxmlErrorsTo(Collected* sink)
        : m_structured(xmlStructuredError),
          m_structured_context(xmlStructuredErrorContext),
          m_generic(xmlGenericError),
          m_generic_context(xmlGenericErrorContext)
    {
        xmlSetStructuredErrorFunc(sink, collect);
        xmlSetGenericErrorFunc(nullptr, say_nothing);
    }
    ~LibxmlErrorsTo()
    {
        xmlSetStructuredErrorFunc(m_structured_context, m_structured);
        xmlSetGenericErrorFunc(m_generic_context, m_generic);
    }
    LibxmlErrorsTo(const LibxmlErrorsTo&) = delete;
    LibxmlErrorsTo& operator=(const LibxmlErrorsTo&) = delete;

private:
    xmlStructuredErrorFunc m_structured;
    void* m_structured_context;
    xmlGenericErrorFunc m_generic;
    void* m_generic_context;
};

struct ParserFree {
    void operator()(xmlParserCtxt* ctxt) const { xmlFreeParserCtxt(ctxt); }
};

// SAX hook for "<!DOCTYPE": the parser is stopped before it reads a single declaration.
void refuse_doctype(void* user_data, const xmlChar*, const xmlChar*, const xmlChar*)
{
    auto* ctxt = static_cast<xmlParserCtxt*>(user_data);
    auto* sink = static_cast<Collected*>(ctxt->_private);
    int line = ctxt->input ? ctxt->input->line : 0;
    sink->errors.insert(sink->errors.begin(),
                        Error{sink->file, line, "a DOCTYPE is not allowed here (CAP has none; it could declare "
                                                "entities that read files or expand without end)"});
    xmlStopParser(ctxt);
}

// SAX hook for every external entity or DTD: nothing is ever loaded.
xmlParserInput* load_nothing(void*, const xmlChar*, const xmlChar*)
{
    return nullptr;
}

}  // namespace

Result<XmlDoc> parse_xml_safely(std::string_view bytes, const std::string& file, size_t max_bytes)
{
    if (bytes.size() > max_bytes || bytes.size() > INT_MAX)
        return Error{file, 0,
                     "is " + std::to_string(bytes.size()) + " bytes, more than the limit of " +
                         std::to_string(max_bytes) + " for an XML file"};
    if (bytes.empty())
        return Error{file, 0, "is empty, not an XML document"};
    // libxml2 wants its globals set up once, before threads use it.
    static std::once_flag initialised;
    std::call_once(initialised, [] { xmlInitParser(); });

    Collected sink{file, {}};
    LibxmlErrorsTo quiet(&sink);
    std::unique_ptr<xmlParserCtxt, ParserFree> ctxt(
        xmlCreateMemoryParserCtxt(bytes.data(), static_cast<int>(bytes.size())));
    if (!ctxt)
        return Error{file, 0, "cannot start the XML parser (out of memory)"};
    xmlCtxtUseOptions(ctxt.get(), kOptions);
    // The context starts from process-wide defaults (xmlSubstituteEntitiesDefault,
    // xmlLoadExtDtdDefaultValue) another part of the process may have turned on: off again here.
    ctxt->replaceEntities = 0;
    ctxt->loadsubset = 0;
    ctxt->validate = 0;
    ctxt->_private = &sink;
    ctxt->sax->internalSubset = refuse_doctype;
    ctxt->sax->resolveEntity = load_nothing;

    xmlParseDocument(ctxt.get());
    XmlDoc doc(ctxt->myDoc);
    ctxt->myDoc = nullptr;
    if (!sink.errors.empty())
        return sink.errors.front();
    if (!ctxt->wellFormed || !doc)
        return Error{file, 0, "not well-formed XML"};
    return doc;
}

const xmlNode* xml_child(const xmlNode* parent, const char* ns, const char* local_name)
{
    for (const xmlNode* node = parent ? parent->children : nullptr; node; node = node->next) {
        if (node->type == XML_ELEMENT_NODE && node->ns && xmlStrEqual(node->ns->href, BAD_CAST ns) &&
            xmlStrEqual(node->name, BAD_CAST local_name))
            return node;
    }
    return nullptr;
}

std::string xml_text(const xmlNode* element)
{
    std::string text;
    for (const xmlNode* node = element ? element->children : nullptr; node; node = node->next) {
        if ((node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) && node->content)
            text += reinterpret_cast<const char*>(node->content);
    }
    return text;
}

int xml_line(const xmlNode* node)
{
    long line = node ? xmlGetLineNo(node) : 0;
    return line > 0 && line <= INT_MAX ? static_cast<int>(line) : 0;
}

}  // namespace signage
