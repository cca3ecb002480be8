#pragma once
#include <cstddef>
#include <vector>

namespace mf {

/** Exponential moving average with TensorBoard's start-up debiasing, for smoothing a loss curve:
 *  the first values are not dragged towards zero. */
class Smoother {
public:
    explicit Smoother(double weight = 0.9) : m_weight(weight) {}
    /** Adds a value and returns the smoothed value so far. */
    double add(double value);
    void reset() { m_last = 0, m_count = 0; }

private:
    double m_weight;
    double m_last = 0;
    std::size_t m_count = 0;
};

/** A point of a curve. */
struct CurvePoint {
    double x = 0, y = 0;
};

/** Keeps a long, growing curve at most `capacity` points: it keeps every stride-th point and, when
 *  full, doubles the stride and drops every other point kept. A chart appends the accepted points and
 *  redraws everything only on the (logarithmically rare) thinning. */
class Decimator {
public:
    enum class Push { Skipped, Appended, Thinned };
    explicit Decimator(std::size_t capacity = 2000) : m_capacity(capacity < 4 ? 4 : capacity) {}

    Push push(double x, double y);
    const std::vector<CurvePoint>& points() const { return m_points; }
    std::size_t stride() const { return m_stride; }
    void clear() { m_points.clear(), m_stride = 1, m_seen = 0; }

private:
    std::size_t m_capacity;
    std::size_t m_stride = 1;
    std::size_t m_seen = 0;
    std::vector<CurvePoint> m_points;
};

} // namespace mf
