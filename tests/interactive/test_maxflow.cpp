#include "interactive/maxflow.h"

#include <gtest/gtest.h>

#include <random>

namespace {

struct Edge {
    int a, b;
    float cap, rev;
};

/** The minimum cut's cost by trying every labelling (n <= 12). */
double bruteMinCut(int n, const std::vector<float>& src, const std::vector<float>& snk, const std::vector<Edge>& edges) {
    double best = 1e30;
    for (int mask = 0; mask < (1 << n); ++mask) {
        double cost = 0;
        for (int i = 0; i < n; ++i)
            cost += (mask >> i & 1) ? snk[i] : src[i];  // in source: cut its sink arc
        for (const Edge& e : edges) {
            const bool a = mask >> e.a & 1, b = mask >> e.b & 1;
            if (a && !b)
                cost += e.cap;
            if (b && !a)
                cost += e.rev;
        }
        best = std::min(best, cost);
    }
    return best;
}

} // namespace

TEST(MaxFlow, MatchesBruteForceOnRandomGraphs) {
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> cap(0.f, 5.f);
    for (int trial = 0; trial < 300; ++trial) {
        const int n = 2 + trial % 9;
        std::vector<float> src(n), snk(n);
        mf::MaxFlow g(n);
        for (int i = 0; i < n; ++i) {
            src[i] = rng() % 3 ? cap(rng) : 0.f;
            snk[i] = rng() % 3 ? cap(rng) : 0.f;
            g.addTerminal(i, src[i], snk[i]);
        }
        std::vector<Edge> edges;
        for (int k = 0; k < 2 * n; ++k) {
            Edge e{static_cast<int>(rng() % n), static_cast<int>(rng() % n), cap(rng), rng() % 2 ? cap(rng) : 0.f};
            if (e.a == e.b)
                continue;
            edges.push_back(e);
            g.addEdge(e.a, e.b, e.cap, e.rev);
        }
        const double flow = g.solve();
        const double brute = bruteMinCut(n, src, snk, edges);
        ASSERT_NEAR(flow, brute, 1e-3 * (1 + brute)) << "trial " << trial;
        // The labelling it reports costs what the flow says.
        double cost = 0;
        for (int i = 0; i < n; ++i)
            cost += g.inSource(i) ? snk[i] : src[i];
        for (const Edge& e : edges) {
            if (g.inSource(e.a) && !g.inSource(e.b))
                cost += e.cap;
            if (g.inSource(e.b) && !g.inSource(e.a))
                cost += e.rev;
        }
        ASSERT_NEAR(cost, brute, 1e-3 * (1 + brute)) << "trial " << trial;
    }
}

TEST(MaxFlow, AChainIsCutAtItsWeakestLink) {
    mf::MaxFlow g(4);
    g.addTerminal(0, 10.f, 0.f);
    g.addTerminal(3, 0.f, 10.f);
    g.addEdge(0, 1, 5.f, 5.f);
    g.addEdge(1, 2, 1.f, 1.f);
    g.addEdge(2, 3, 5.f, 5.f);
    EXPECT_FLOAT_EQ(static_cast<float>(g.solve()), 1.f);
    EXPECT_TRUE(g.inSource(0));
    EXPECT_TRUE(g.inSource(1));
    EXPECT_FALSE(g.inSource(2));
    EXPECT_FALSE(g.inSource(3));
}
