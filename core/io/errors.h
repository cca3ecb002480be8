#pragma once
#include <stdexcept>
#include <string>

namespace mf {

/** An error about one file: carries the file's path and what is wrong with it. */
class FileError : public std::runtime_error {
public:
    FileError(std::string file, const std::string& problem)
        : std::runtime_error(file + ": " + problem), m_file(std::move(file)), m_problem(problem) {}
    const std::string& file() const { return m_file; }
    const std::string& problem() const { return m_problem; }

private:
    std::string m_file;
    std::string m_problem;
};

/** One problem found in a dataset or project: the file it concerns and a sentence about it. */
struct Problem {
    std::string file;
    std::string message;
};

} // namespace mf
