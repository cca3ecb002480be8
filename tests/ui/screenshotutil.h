#pragma once
// Shared by the screenshot programs (not tests): wait on the event loop, then grab the whole screen.
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QPixmap>
#include <QScreen>
#include <QString>

#include <cstdio>

namespace mf::test {

/** Runs the event loop until `done` holds or `ms` pass; whether `done` holds. */
template <class Pred>
bool waitFor(Pred done, int ms) {
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    return done();
}

/** Runs the event loop for `ms`, so lazy thumbnails and repaints arrive before a grab. */
inline void settle(int ms = 300) {
    QElapsedTimer t;
    t.start();
    waitFor([&] { return t.elapsed() >= ms; }, ms + 10);
}

/** The whole screen after settle(settleMs), so menus and docks are in the picture as a person sees them. */
inline void shot(const QString& path, int settleMs = 300) {
    settle(settleMs);
    QGuiApplication::primaryScreen()->grabWindow(0).save(path);
    std::printf("wrote %s\n", qPrintable(path));
}

} // namespace mf::test
