// A dab through the whole GUI path on a 4096x4096 image: document paints, canvas recolours the
// changed rect of its overlay and repaints only that rect (synchronously, offscreen). Also a full
// repaint of the visible canvas, the cost of pan and zoom.
#include "canvas/canvas.h"
#include "io/imageio.h"
#include "canvas/maskdocument.h"
#include "project/project.h"

#include <QApplication>
#include <QDir>

#include <benchmark/benchmark.h>

namespace {

constexpr int kSize = 4096;

struct Fixture {
    mf::Project project;
    mf::MaskDocument document;
    mf::Canvas canvas;
    QImage target{1600, 1000, QImage::Format_ARGB32_Premultiplied};  ///< stands in for the window's backing store
    /** Paints widget rect `r` through Canvas::paintEvent, as an update() would (render() is synchronous
     *  and works on the offscreen platform, where repaint() of an unexposed widget does nothing). */
    void paint(const QRect& r) { canvas.render(&target, r.topLeft(), QRegion(r), QWidget::RenderFlags()); }
    Fixture() {
        const QString dir = QDir::temp().filePath("mf_bench_canvas");
        QDir(dir).mkpath("images");
        const std::string imagePath = QDir(dir).filePath("images/big.png").toStdString();
        if (!QFileInfo::exists(QString::fromStdString(imagePath))) {
            cv::Mat image(kSize, kSize, CV_8UC3);
            cv::randu(image, 0, 255);
            mf::writeImageAtomic(imagePath, image);
        }
        project.setRoot(dir.toStdString());
        project.classes() = mf::defaultClasses(4);
        mf::ImageEntry e;
        e.image = "images/big.png";
        project.images().push_back(e);
        document.setProject(&project);
        document.load(0);
        canvas.resize(1600, 1000);
        canvas.setDocument(&document);
        canvas.setClassColours(project);
        canvas.show();
        canvas.setZoom(1.0);
    }
};

Fixture& fixture() {
    static Fixture f;
    return f;
}

void BM_DabAndRepaint(benchmark::State& state) {
    Fixture& f = fixture();
    f.canvas.setZoom(state.range(1) / 100.0, QPointF(800, 500));
    const float radius = static_cast<float>(state.range(0));
    int i = 0;
    for (auto _ : state) {
        const QPointF c = f.canvas.widgetToImage(QPointF(300 + (i * 37) % 1000, 200 + (i * 53) % 600));
        f.document.paintDab(c, radius, 1 + i % 3);  // recolours the overlay rect, schedules its update
        f.paint(f.canvas.imageRectToWidget(QRect(c.toPoint() - QPoint(radius, radius), QSize(2 * radius + 1, 2 * radius + 1))));
        ++i;
    }
    f.document.endStroke("bench");
}
BENCHMARK(BM_DabAndRepaint)->Args({8, 100})->Args({32, 100})->Args({32, 400})->Args({64, 25})->Unit(benchmark::kMicrosecond);

void BM_FullRepaint(benchmark::State& state) {
    Fixture& f = fixture();
    f.canvas.setZoom(state.range(0) / 100.0, QPointF(800, 500));
    for (auto _ : state)
        f.paint(f.canvas.rect());
}
BENCHMARK(BM_FullRepaint)->Arg(25)->Arg(100)->Arg(400)->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen") : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
