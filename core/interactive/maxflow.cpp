#include "interactive/maxflow.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace mf {

MaxFlow::MaxFlow(int nodes, std::size_t edgesHint)
    : m_first(nodes, kNone), m_parent(nodes, kNone), m_ts(nodes, 0), m_dist(nodes, 0), m_trcap(nodes, 0.f),
      m_sink(nodes, 0), m_active(nodes, 0) {
    if (nodes < 0)
        throw std::invalid_argument("MaxFlow: negative node count");
    m_arcs.reserve(2 * edgesHint);
}

void MaxFlow::addTerminal(int node, float toSource, float toSink) {
    float& tr = m_trcap[node];
    float source = std::max(tr, 0.f) + toSource;
    float sink = std::max(-tr, 0.f) + toSink;
    m_flow += std::min(source, sink);
    tr = source - sink;
}

void MaxFlow::addEdge(int a, int b, float cap, float reverseCap) {
    if (a == b)
        return;
    const int ab = static_cast<int>(m_arcs.size());
    m_arcs.push_back({b, m_first[a], cap});
    m_arcs.push_back({a, m_first[b], reverseCap});
    m_first[a] = ab;
    m_first[b] = ab + 1;
}

void MaxFlow::setActive(int i) {
    if (!m_active[i]) {
        m_active[i] = 1;
        m_queue.push_back(i);
    }
}

int MaxFlow::nextActive() {
    while (m_queueHead < m_queue.size()) {
        const int i = m_queue[m_queueHead++];
        m_active[i] = 0;
        if (m_queueHead > 4096 && m_queueHead * 2 > m_queue.size()) {
            m_queue.erase(m_queue.begin(), m_queue.begin() + static_cast<std::ptrdiff_t>(m_queueHead));
            m_queueHead = 0;
        }
        if (m_parent[i] != kNone)
            return i;
    }
    return kNone;
}

// Grows the tree of node i by one layer; returns an arc from the source tree to the sink tree when
// the trees meet (oriented source -> sink), kNone otherwise.
int MaxFlow::grow(int i) {
    const bool sinkTree = m_sink[i];
    for (int a = m_first[i]; a != kNone; a = m_arcs[a].next) {
        const float residual = sinkTree ? m_arcs[sister(a)].cap : m_arcs[a].cap;
        if (residual <= 0.f)
            continue;
        const int j = m_arcs[a].head;
        if (m_parent[j] == kNone) {
            m_sink[j] = sinkTree;
            m_parent[j] = sister(a);
            m_ts[j] = m_ts[i];
            m_dist[j] = m_dist[i] + 1;
            setActive(j);
        } else if (m_sink[j] != sinkTree) {
            return sinkTree ? sister(a) : a;
        } else if (m_ts[j] <= m_ts[i] && m_dist[j] > m_dist[i]) {
            m_parent[j] = sister(a);  // a shorter path to the terminal
            m_ts[j] = m_ts[i];
            m_dist[j] = m_dist[i] + 1;
        }
    }
    return kNone;
}

void MaxFlow::makeOrphan(int i) {
    m_parent[i] = kOrphan;
    m_orphans.push_back(i);
}

void MaxFlow::augment(int middle) {
    float bottleneck = m_arcs[middle].cap;
    int i = m_arcs[sister(middle)].head;  // source side: flow runs parent -> child
    for (int pa; (pa = m_parent[i]) != kTerminal; i = m_arcs[pa].head)
        bottleneck = std::min(bottleneck, m_arcs[sister(pa)].cap);
    bottleneck = std::min(bottleneck, m_trcap[i]);
    i = m_arcs[middle].head;  // sink side: flow runs child -> parent
    for (int pa; (pa = m_parent[i]) != kTerminal; i = m_arcs[pa].head)
        bottleneck = std::min(bottleneck, m_arcs[pa].cap);
    bottleneck = std::min(bottleneck, -m_trcap[i]);

    m_arcs[sister(middle)].cap += bottleneck;
    m_arcs[middle].cap -= bottleneck;
    for (i = m_arcs[sister(middle)].head;;) {
        const int pa = m_parent[i];
        if (pa == kTerminal) {
            m_trcap[i] -= bottleneck;
            if (m_trcap[i] <= 0.f)
                makeOrphan(i);
            break;
        }
        m_arcs[pa].cap += bottleneck;
        m_arcs[sister(pa)].cap -= bottleneck;
        if (m_arcs[sister(pa)].cap <= 0.f)
            makeOrphan(i);
        i = m_arcs[pa].head;
    }
    for (i = m_arcs[middle].head;;) {
        const int pa = m_parent[i];
        if (pa == kTerminal) {
            m_trcap[i] += bottleneck;
            if (m_trcap[i] >= 0.f)
                makeOrphan(i);
            break;
        }
        m_arcs[sister(pa)].cap += bottleneck;
        m_arcs[pa].cap -= bottleneck;
        if (m_arcs[pa].cap <= 0.f)
            makeOrphan(i);
        i = m_arcs[pa].head;
    }
    m_flow += bottleneck;
}

// Length of j's path to its terminal, or max() when it leads to an orphan; marks what it learns.
int MaxFlow::treeDistance(int j) {
    int d = 0;
    for (;;) {
        if (m_ts[j] == m_time)
            return d + m_dist[j];
        const int a = m_parent[j];
        ++d;
        if (a == kTerminal) {
            m_ts[j] = m_time;
            m_dist[j] = 1;
            return d;
        }
        if (a == kOrphan || a == kNone)
            return std::numeric_limits<int>::max();
        j = m_arcs[a].head;
    }
}

void MaxFlow::adopt(int i) {
    const bool sinkTree = m_sink[i];
    int best = kNone, bestDist = std::numeric_limits<int>::max();
    for (int a0 = m_first[i]; a0 != kNone; a0 = m_arcs[a0].next) {
        const float residual = sinkTree ? m_arcs[a0].cap : m_arcs[sister(a0)].cap;
        const int j = m_arcs[a0].head;
        if (residual <= 0.f || m_sink[j] != sinkTree || m_parent[j] == kNone)
            continue;
        int d = treeDistance(j);
        if (d == std::numeric_limits<int>::max())
            continue;
        if (d < bestDist)
            best = a0, bestDist = d;
        for (int k = j; m_ts[k] != m_time; k = m_arcs[m_parent[k]].head) {
            m_ts[k] = m_time;
            m_dist[k] = d--;
        }
    }
    if (best != kNone) {
        m_parent[i] = best;
        m_ts[i] = m_time;
        m_dist[i] = bestDist + 1;
        return;
    }
    m_parent[i] = kNone;  // a free node now; its neighbours may grow into it
    for (int a0 = m_first[i]; a0 != kNone; a0 = m_arcs[a0].next) {
        const int j = m_arcs[a0].head;
        const int a = m_parent[j];
        if (m_sink[j] != sinkTree || a == kNone)
            continue;
        const float residual = sinkTree ? m_arcs[a0].cap : m_arcs[sister(a0)].cap;
        if (residual > 0.f)
            setActive(j);
        if (a != kTerminal && a != kOrphan && m_arcs[a].head == i)
            makeOrphan(j);
    }
}

void MaxFlow::adoptOrphans() {
    for (std::size_t k = 0; k < m_orphans.size(); ++k)
        adopt(m_orphans[k]);
    m_orphans.clear();
}

double MaxFlow::solve() {
    for (int i = 0; i < nodeCount(); ++i) {
        if (m_trcap[i] != 0.f) {
            m_sink[i] = m_trcap[i] < 0.f;
            m_parent[i] = kTerminal;
            m_ts[i] = 0;
            m_dist[i] = 1;
            setActive(i);
        }
    }
    int current = kNone;
    for (;;) {
        int i = current;
        if (i != kNone) {
            m_active[i] = 0;
            if (m_parent[i] == kNone)
                i = kNone;
        }
        if (i == kNone && (i = nextActive()) == kNone)
            break;
        const int middle = grow(i);
        ++m_time;
        if (middle == kNone) {
            current = kNone;
            continue;
        }
        m_active[i] = 1;  // keep growing from i after the augmentation, without queueing it twice
        current = i;
        augment(middle);
        adoptOrphans();
    }
    return m_flow;
}

} // namespace mf
