// SHA-256 through OpenSSL's EVP interface: the checksums in manifests and snapshot records.
#pragma once

#include "playlist/base/error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace signage {

class Sha256 {
public:
    static Result<Sha256> create();

    void update(const void* data, size_t size);
    // The digest as 64 lowercase hex digits. The object is spent afterwards.
    Result<std::string> finish_hex();

private:
    struct ContextFree {
        void operator()(evp_md_ctx_st* context) const;
    };
    explicit Sha256(std::unique_ptr<evp_md_ctx_st, ContextFree> context) : m_context(std::move(context)) {}

    std::unique_ptr<evp_md_ctx_st, ContextFree> m_context;
    bool m_failed = false;
};

Result<std::string> sha256_hex(std::string_view bytes);

// Hashes an open file from its current position to the end. `name` is for error messages.
Result<std::string> sha256_of_fd(int fd, const std::string& name);

inline constexpr size_t kSha256HexLength = 64;

}  // namespace signage
