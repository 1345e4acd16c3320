#include "playlist/base/sha256.h"

#include "playlist/base/file_io.h"
#include "playlist/base/posix_handles.h"

#include <openssl/evp.h>
#include <vector>

namespace signage {

void Sha256::ContextFree::operator()(evp_md_ctx_st* context) const
{
    EVP_MD_CTX_free(context);
}

Result<Sha256> Sha256::create()
{
    std::unique_ptr<evp_md_ctx_st, ContextFree> context(EVP_MD_CTX_new());
    if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1)
        return Error{"", 0, "OpenSSL cannot compute SHA-256 (EVP_DigestInit_ex failed)"};
    return Sha256(std::move(context));
}

void Sha256::update(const void* data, size_t size)
{
    if (!m_failed && size > 0)
        m_failed = EVP_DigestUpdate(m_context.get(), data, size) != 1;
}

Result<std::string> Sha256::finish_hex()
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (m_failed || EVP_DigestFinal_ex(m_context.get(), digest, &length) != 1 || length != 32)
        return Error{"", 0, "OpenSSL failed computing SHA-256"};
    static const char kHex[] = "0123456789abcdef";
    std::string hex(kSha256HexLength, '0');
    for (unsigned int i = 0; i < length; ++i) {
        hex[2 * i] = kHex[digest[i] >> 4];
        hex[2 * i + 1] = kHex[digest[i] & 0xF];
    }
    return hex;
}

Result<std::string> sha256_hex(std::string_view bytes)
{
    auto hash = Sha256::create();
    if (!hash)
        return hash.error();
    hash->update(bytes.data(), bytes.size());
    return hash->finish_hex();
}

Result<std::string> sha256_of_fd(int fd, const std::string& name)
{
    auto hash = Sha256::create();
    if (!hash)
        return hash.error();
    std::vector<char> buffer(1 << 20);
    for (;;) {
        ssize_t n = read_some(fd, buffer.data(), buffer.size());
        if (n < 0)
            return os_error(name, "read", errno);
        if (n == 0)
            break;
        hash->update(buffer.data(), static_cast<size_t>(n));
    }
    return hash->finish_hex();
}

}  // namespace signage
