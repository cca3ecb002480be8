#pragma once
#include <string>

namespace mf {

/** `s` without leading and trailing blanks (space, tab, CR, LF): how class names are read from every
 *  names file (labels.txt, classes.txt, data.yaml, the new-project dialog's list). */
inline std::string trimmed(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

} // namespace mf
