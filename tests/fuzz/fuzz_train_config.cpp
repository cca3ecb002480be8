// libFuzzer: the run YAML reader. Accepted configs must round-trip through toYaml.
#include "io/errors.h"
#include "runs/trainconfig.h"

#include <cstdint>
#include <stdexcept>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    mf::TrainConfig c;
    try {
        c = mf::parseTrainConfig(text, "fuzz.yaml");
    } catch (const mf::FileError&) {
        return 0;
    } catch (const std::invalid_argument&) {
        return 0;
    }
    const std::string yaml = mf::toYaml(c);
    const mf::TrainConfig again = mf::parseTrainConfig(yaml, "fuzz-again.yaml");
    if (mf::toYaml(again) != yaml)
        __builtin_trap();
    return 0;
}
