// Errors as values: every failure carries the file, line and reason a person needs to fix it.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace signage {

struct Error {
    std::string file;  // empty when not about a file
    int line = 0;      // 0 when not about a line
    std::string message;

    // "file:line: message", "file: message" or "message".
    std::string to_string() const
    {
        std::string out;
        if (!file.empty()) {
            out += file;
            if (line > 0) {
                out += ':';
                out += std::to_string(line);
            }
            out += ": ";
        }
        return out + message;
    }
};

// A value or an Error; a tiny stand-in for C++23 std::expected.
template <typename T>
class Result {
public:
    Result(T value) : m_state(std::move(value)) {}
    Result(Error error) : m_state(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    T& value() { return std::get<T>(m_state); }
    const T& value() const { return std::get<T>(m_state); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const { return std::get<Error>(m_state); }

private:
    std::variant<T, Error> m_state;
};

// For operations that produce nothing but may fail.
class Status {
public:
    Status() = default;
    Status(Error error) : m_error(std::move(error)) {}
    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

}  // namespace signage
