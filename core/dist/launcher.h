#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace mf::dist {

/** A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it, close). */
int freeLocalPort();

/** This program's own command line, from /proc/self/cmdline (Linux). */
std::vector<std::string> ownCommandLine();

/** `args` without the option `flag` and its value (both "--flag N" and "--flag=N"). */
std::vector<std::string> withoutOption(std::vector<std::string> args, const std::string& flag);

/** Starts `nproc` copies of /proc/self/exe with `args` (args[0] is argv[0]) as the ranks of one local
 *  job: RANK = LOCAL_RANK = i, WORLD_SIZE = nproc, MASTER_ADDR = 127.0.0.1, MASTER_PORT a free port
 *  (torchrun's environment). Waits for all of them. When one fails, says which (on `log`) and stops the
 *  others (SIGTERM, then SIGKILL after `graceSeconds`). Returns 0 when every worker succeeded, else the
 *  exit code of the first that failed (128 + signal when killed). Ctrl+C reaches the workers through
 *  the terminal's process group; the launcher itself waits for them. */
int launchLocalWorkers(const std::vector<std::string>& args, int nproc, std::ostream& log, int graceSeconds = 10);

} // namespace mf::dist
