// libFuzzer: the project file reader. Whatever it accepts, it must write back in a form it reads
// again to the same text (what save() writes, the next load reads).
#include "io/errors.h"
#include "project/project.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::vector<mf::Problem> problems;
    mf::Project p;
    try {
        p = mf::Project::fromJson(text, "/nonexistent-fuzz-root", "fuzz.json", &problems);
    } catch (const mf::FileError&) {
        return 0;
    }
    std::string saved;
    try {
        saved = p.toJson();
    } catch (const std::length_error&) {
        return 0;  // more classes than a mask can hold: refused at save, never written
    }
    const mf::Project again = mf::Project::fromJson(saved, "/nonexistent-fuzz-root", "fuzz.json", &problems);
    if (again.toJson() != saved)
        __builtin_trap();
    return 0;
}
