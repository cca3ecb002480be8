// The minimum cut geocut relies on: OpenCV's Boykov-Kolmogorov max-flow (cv::detail::GCGraph, what
// cv::grabCut cuts with), checked against brute force, the labelling it reports included.
#include <opencv2/core.hpp>
#include <opencv2/imgproc/detail/gcgraph.hpp>

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

using Graph = cv::detail::GCGraph<float>;

Graph makeGraph(int n) {
    Graph g(static_cast<unsigned>(n), static_cast<unsigned>(4 * n));
    for (int i = 0; i < n; ++i)
        g.addVtx();
    return g;
}

} // namespace

TEST(MaxFlow, MatchesBruteForceOnRandomGraphs) {
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> cap(0.f, 5.f);
    for (int trial = 0; trial < 300; ++trial) {
        const int n = 2 + trial % 9;
        std::vector<float> src(n), snk(n);
        Graph g = makeGraph(n);
        for (int i = 0; i < n; ++i) {
            src[i] = rng() % 3 ? cap(rng) : 0.f;
            snk[i] = rng() % 3 ? cap(rng) : 0.f;
            g.addTermWeights(i, src[i], snk[i]);
        }
        std::vector<Edge> edges;
        for (int k = 0; k < 2 * n; ++k) {
            Edge e{static_cast<int>(rng() % n), static_cast<int>(rng() % n), cap(rng), rng() % 2 ? cap(rng) : 0.f};
            if (e.a == e.b)
                continue;
            edges.push_back(e);
            g.addEdges(e.a, e.b, e.cap, e.rev);
        }
        const double flow = g.maxFlow();
        const double brute = bruteMinCut(n, src, snk, edges);
        ASSERT_NEAR(flow, brute, 1e-3 * (1 + brute)) << "trial " << trial;
        // The labelling it reports costs what the flow says.
        double cost = 0;
        for (int i = 0; i < n; ++i)
            cost += g.inSourceSegment(i) ? snk[i] : src[i];
        for (const Edge& e : edges) {
            if (g.inSourceSegment(e.a) && !g.inSourceSegment(e.b))
                cost += e.cap;
            if (g.inSourceSegment(e.b) && !g.inSourceSegment(e.a))
                cost += e.rev;
        }
        ASSERT_NEAR(cost, brute, 1e-3 * (1 + brute)) << "trial " << trial;
    }
}

TEST(MaxFlow, AChainIsCutAtItsWeakestLink) {
    Graph g = makeGraph(4);
    g.addTermWeights(0, 10.f, 0.f);
    g.addTermWeights(3, 0.f, 10.f);
    g.addEdges(0, 1, 5.f, 5.f);
    g.addEdges(1, 2, 1.f, 1.f);
    g.addEdges(2, 3, 5.f, 5.f);
    EXPECT_FLOAT_EQ(static_cast<float>(g.maxFlow()), 1.f);
    EXPECT_TRUE(g.inSourceSegment(0));
    EXPECT_TRUE(g.inSourceSegment(1));
    EXPECT_FALSE(g.inSourceSegment(2));
    EXPECT_FALSE(g.inSourceSegment(3));
}
