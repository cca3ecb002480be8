#include "models/torchvisionweights.h"

#include "models/torchvisionencoder.h"

#include <caffe2/serialize/in_memory_adapter.h>
#include <caffe2/serialize/inline_container.h>
#include <torch/torch.h>

#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>

namespace mf {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& why)
{
    throw std::runtime_error("loadTorchvisionStateDict(" + path + "): " + why);
}

std::vector<char> readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("readTorchStateDict: cannot open " + path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// LibTorch's unpickler turns collections.OrderedDict into None (it expects one only inside a
// tensor's rebuild arguments), so a state_dict cannot be read as written. Rewrite the pickle:
// the top-level OrderedDict() call becomes an empty dict (the class stays memoised for the
// tensors), and the trailing BUILD of the `_metadata` attribute is cut; the stack then holds
// (class, dict), returned as a 2-tuple.
std::string patchStateDictPickle(std::string pkl, const std::string& path)
{
    const auto global = pkl.find("ccollections\nOrderedDict\n");
    const auto call = global == std::string::npos ? global : pkl.find(")R", global);
    const auto meta = pkl.rfind(std::string("X\t\0\0\0_metadata", 14));
    if (call == std::string::npos || meta == std::string::npos || meta < call + 8)
        fail(path, "not a state_dict written by torch.save (no OrderedDict with _metadata)");
    // The state {'_metadata': …} opens with EMPTY_DICT and BINPUT q+1 byte or LONG_BINPUT r+4.
    std::size_t state = std::string::npos;
    if (pkl[meta - 3] == '}' && pkl[meta - 2] == 'q')
        state = meta - 3;
    else if (pkl[meta - 6] == '}' && pkl[meta - 5] == 'r')
        state = meta - 6;
    if (state == std::string::npos)
        fail(path, "unexpected pickle layout around _metadata");
    // EMPTY_TUPLE REDUCE -> EMPTY_DICT; cut the state and its BUILD; TUPLE2 STOP.
    return pkl.substr(0, call) + "}" + pkl.substr(call + 2, state - call - 2) + "\x86.";
}

std::vector<char> rewriteArchive(const std::vector<char>& bytes, const std::string& path)
{
    using namespace caffe2::serialize;
    PyTorchStreamReader reader(std::make_shared<MemoryReadAdapter>(bytes.data(), bytes.size()));
    std::vector<char> out;
    PyTorchStreamWriter writer([&out](const void* data, std::size_t n) {
        const auto* c = static_cast<const char*>(data);
        out.insert(out.end(), c, c + n);
        return n;
    });
    for (const auto& name : reader.getAllRecords()) {
        if (name == "version" || name == ".data/version" || name == ".data/serialization_id")
            continue; // the writer adds its own (LibTorch 2.x also writes a serialization id)
        auto [data, size] = reader.getRecord(name);
        std::string record(static_cast<const char*>(data.get()), size);
        if (name == "data.pkl")
            record = patchStateDictPickle(std::move(record), path);
        writer.writeRecord(name, record.data(), record.size());
    }
    writer.writeEndOfFile();
    return out;
}

NamedTensors toNamedTensors(const c10::IValue& dict, const std::string& path)
{
    if (!dict.isGenericDict())
        fail(path, "the file does not hold a dict of tensors");
    NamedTensors tensors;
    for (const auto& item : dict.toGenericDict()) {
        if (!item.key().isString() || !item.value().isTensor())
            fail(path, "the file holds a non-tensor entry");
        tensors.emplace_back(item.key().toStringRef(), item.value().toTensor());
    }
    return tensors;
}

} // namespace

NamedTensors readTorchStateDict(const std::string& path)
{
    const auto bytes = readFile(path);
    // A plain dict (torch.save(dict(sd))) loads as is; so may an OrderedDict in a future LibTorch.
    try {
        auto value = torch::pickle_load(bytes);
        if (value.isGenericDict())
            return toNamedTensors(value, path);
    } catch (const c10::Error&) {
        // LibTorch 1.13 asserts on the OrderedDict; fall through to the rewrite.
    }
    c10::IValue value;
    try {
        value = torch::pickle_load(rewriteArchive(bytes, path));
    } catch (const c10::Error& e) {
        fail(path, std::string("cannot unpickle: ") + e.what_without_backtrace());
    }
    if (!value.isTuple() || value.toTupleRef().elements().size() != 2)
        fail(path, "unexpected pickle result");
    return toNamedTensors(value.toTupleRef().elements()[1], path);
}

} // namespace mf

namespace mf {

namespace {

// The encoder to load into and the prefix its names carry inside `module`.
std::pair<TorchvisionEncoderImpl*, std::string> findEncoder(torch::nn::Module& module,
                                                            const std::string& path)
{
    if (auto* encoder = dynamic_cast<TorchvisionEncoderImpl*>(&module))
        return {encoder, ""};
    for (const auto& child : module.named_children())
        if (child.key() == "encoder")
            if (auto* encoder = dynamic_cast<TorchvisionEncoderImpl*>(child.value().get()))
                return {encoder, "encoder."};
    fail(path, "the module is not (and has no child 'encoder' that is) a torchvision encoder");
}

bool isDropped(const std::string& key, const std::vector<std::string>& prefixes)
{
    for (const auto& prefix : prefixes)
        if (key.rfind(prefix, 0) == 0)
            return true;
    return false;
}

std::map<std::string, torch::Tensor> parametersAndBuffers(torch::nn::Module& m)
{
    std::map<std::string, torch::Tensor> all;
    for (const auto& p : m.named_parameters())
        all[p.key()] = p.value();
    for (const auto& b : m.named_buffers())
        all[b.key()] = b.value();
    return all;
}

} // namespace

StateDictLoadReport loadTorchvisionStateDict(torch::nn::Module& module, const std::string& path)
{
    auto [encoder, prefix] = findEncoder(module, path);
    const auto droppedPrefixes = encoder->droppedTorchvisionPrefixes();
    auto ours = parametersAndBuffers(*encoder);
    std::vector<std::pair<torch::Tensor, torch::Tensor>> copies; // validate all, then copy
    StateDictLoadReport report;
    for (const auto& [key, value] : readTorchStateDict(path)) {
        if (isDropped(key, droppedPrefixes)) {
            report.dropped.push_back(key);
            continue;
        }
        const auto it = ours.find(key);
        if (it == ours.end())
            fail(path, "unexpected key '" + key + "' (no '" + prefix + key + "' in the model)");
        if (it->second.sizes() != value.sizes())
            fail(path, "shape mismatch for key '" + key + "': file " + c10::str(value.sizes())
                           + ", model " + c10::str(it->second.sizes()));
        copies.emplace_back(it->second, value);
        report.loaded.push_back(prefix + key);
        ours.erase(it);
    }
    if (!ours.empty())
        fail(path, "missing key '" + ours.begin()->first + "' (and "
                       + std::to_string(ours.size() - 1) + " more) for '" + prefix
                       + ours.begin()->first + "'");
    torch::NoGradGuard noGrad;
    for (auto& [dst, src] : copies)
        dst.copy_(src);
    return report;
}

} // namespace mf
