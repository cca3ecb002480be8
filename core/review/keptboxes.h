#pragma once
#include "project/project.h"
#include "review/autorefinement.h"

#include <string>
#include <vector>

namespace mf {

/** The targets of an auto refinement pass that stay their box fills as a decision, not for want of one:
 *  nothing of them changes (changedTargets leaves them out of the queue), and every class of their boxes was
 *  chosen on the trusted masks (its boxes beat every method there, or its method changes nothing here).
 *  A class no trusted mask holds keeps its boxes unexamined, so an image with one is not among them; nor is
 *  any image of a named method's pass (its boxes beat that one method only). Project-relative image paths. */
std::vector<std::string> boxesKeptOnEvidence(const std::vector<RefineItem>& items, const std::vector<ClassChoice>& choices,
                                             const std::string& method);

/** Marks `images` (boxesKeptOnEvidence) by the status rule StatusEvent::BoxesKeptOnEvidence (coarse ->
 *  refined): their masks stay as they are, the box fill is the label, and `plan` and `train`'s `auto`
 *  supervision then train them from their masks. Images that are no longer coarse, have no mask, or are
 *  not in the project are left alone. Saves the project once; when the save fails every status is put
 *  back and the error rethrown. Returns how many were marked. Shared by `refine --accept` and the GUI's
 *  batch refinement. */
int markBoxesKept(Project& project, const std::vector<std::string>& images);

} // namespace mf
