#pragma once
// Shared helpers for MaskForge's GoogleTest suites.
#include <filesystem>
#include <random>
#include <string>

namespace mf::test {

/** A fresh folder under the system temp dir, removed with everything in it on destruction. */
class TempDir {
public:
    TempDir() {
        std::random_device rd;
        m_path = std::filesystem::temp_directory_path() / ("maskforge-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(m_path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }
    std::string operator/(const std::string& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

inline std::string sharedDir() { return MF_SHARED_DIR; }

} // namespace mf::test
