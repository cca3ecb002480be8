#include "viz/series.h"

#include <cmath>

namespace mf {

double Smoother::add(double value) {
    m_last = m_last * m_weight + (1.0 - m_weight) * value;
    ++m_count;
    const double debias = 1.0 - std::pow(m_weight, static_cast<double>(m_count));
    return debias > 0 ? m_last / debias : value;
}

Decimator::Push Decimator::push(double x, double y) {
    const std::size_t index = m_seen++;
    if (index % m_stride != 0)
        return Push::Skipped;
    m_points.push_back({x, y});
    if (m_points.size() <= m_capacity)
        return Push::Appended;
    // Points kept so far sit at multiples of the old stride; keeping the even ones leaves multiples of the new one.
    std::size_t kept = 0;
    for (std::size_t i = 0; i < m_points.size(); i += 2)
        m_points[kept++] = m_points[i];
    m_points.resize(kept);
    m_stride *= 2;
    return Push::Thinned;
}

} // namespace mf
