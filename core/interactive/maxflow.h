#pragma once
#include <cstdint>
#include <vector>

namespace mf {

/** Minimum s-t cut of a sparse graph by Boykov and Kolmogorov's augmenting-path algorithm (search
 *  trees reused between augmentations; PAMI 2004), the solver graph-cut segmentation is built on.
 *  Nodes are 0..n-1; terminal capacities go in with addTerminal, pairs of opposite arcs with addEdge.
 *  After solve(), inSource(i) tells the side of node i (nodes cut from both terminals go to the sink). */
class MaxFlow {
public:
    explicit MaxFlow(int nodes, std::size_t edgesHint = 0);

    /** Adds capacity from the source to `node` and from `node` to the sink. */
    void addTerminal(int node, float toSource, float toSink);
    /** Adds the arc a->b with capacity `cap` and b->a with `reverseCap` (both >= 0). */
    void addEdge(int a, int b, float cap, float reverseCap);
    /** Computes the maximum flow (= the cut's cost); call once. */
    double solve();
    bool inSource(int node) const { return m_parent[node] != kNone && !m_sink[node]; }
    int nodeCount() const { return static_cast<int>(m_first.size()); }

private:
    static constexpr int kNone = -1, kTerminal = -2, kOrphan = -3;
    struct Arc {
        int head;
        int next;
        float cap;
    };
    static int sister(int a) { return a ^ 1; }
    void setActive(int i);
    int nextActive();
    int grow(int i);
    void augment(int middle);
    void makeOrphan(int i);
    void adoptOrphans();
    void adopt(int i);
    int treeDistance(int j);

    std::vector<int> m_first, m_parent, m_ts, m_dist;
    std::vector<float> m_trcap;
    std::vector<char> m_sink, m_active;
    std::vector<Arc> m_arcs;
    std::vector<int> m_queue, m_orphans;
    std::size_t m_queueHead = 0;
    int m_time = 0;
    double m_flow = 0;
};

} // namespace mf
