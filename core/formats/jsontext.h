#pragma once
#include "io/errors.h"

#include <nlohmann/json.hpp>

#include <string>

namespace mf::formats {

/** `text` parsed as JSON; a FileError naming `source` when it is not JSON (the readers' one wording). */
inline nlohmann::json parseJsonText(const std::string& text, const std::string& source) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw FileError(source, std::string("not valid JSON: ") + e.what());
    }
}

} // namespace mf::formats
