#pragma once
#include "formats/formatimport.h"
#include "project/project.h"

#include <QMainWindow>

#include <memory>
#include <vector>

class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QSlider;
class QTimer;

namespace mf {

class AbstractTool;
class BatchRefiner;
class BoxRefineTool;
class Canvas;
class ClassPalette;
class DatasetPanel;
class MaskDocument;
class ReviewPanel;
class ReviewQueueModel;
class ToolSettings;

/** MaskForge's main window: the canvas in the centre, dataset and class panels docked around it.
 *  Owns the open Project and everything on screen; catches core errors at the boundary and shows them. */
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    /** What happens to a dirty image on switching or closing. */
    enum class DirtyPolicy { Save, Ask };

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /** Opens a project folder, maskforge.json or plain dataset folder and shows its first image. */
    bool openProject(const QString& path);
    /** Shows image `row`, first saving (or asking about) the dirty one. */
    bool showImage(int row);
    bool save();
    void showNextNeedingWork();
    /** Imports YOLO/VOC/COCO boxes as coarse masks. */
    bool importBoxes(const QString& path);
    /** Imports annotations (File > Import) into the open project, or into `projectDir` (made or added
     *  to) and opens it; saves the project after the masks exist and shows the result. */
    bool importAnnotations(const formats::ImportRequest& request, const QString& projectDir = {});
    void refineAllCoarse();

    void setDirtyPolicy(DirtyPolicy policy) { m_dirtyPolicy = policy; }
    /** Off in tests: no modal dialogs, errors go to the status bar only. */
    void setInteractive(bool interactive) { m_interactive = interactive; }
    /** Adds a dockable panel and its toggle to the Panels menu (extension point for later panels). */
    void addPanel(QDockWidget* dock, Qt::DockWidgetArea area);

    Project* project() const { return m_project.get(); }
    MaskDocument* document() const { return m_document; }
    Canvas* canvas() const { return m_canvas; }
    ToolSettings* toolSettings() const { return m_settings; }
    DatasetPanel* datasetPanel() const { return m_dataset; }
    ClassPalette* classPalette() const { return m_palette; }
    BatchRefiner* batchRefiner() const { return m_batch; }
    /** Images waiting for review; producers (batch refinement, model-assisted refinement) add to it. */
    ReviewQueueModel* reviewQueue() const { return m_review; }
    ReviewPanel* reviewPanel() const { return m_reviewPanel; }
    /** Shows queued image `row` with the coarse mask beside it, and the review panel. */
    bool openForReview(int row);
    const std::vector<AbstractTool*>& tools() const { return m_tools; }
    BoxRefineTool* boxRefineTool() const { return m_boxTool; }
    void activateTool(AbstractTool* tool);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createTools();
    void createPanels();
    void createReviewPanel();
    void batchImageRefined(int row, const QString& summary);
    void createMenus();
    void createViewToolBar();
    void createStatusBar();
    void openDialog();
    void importDialog();
    void exportDialog();
    void finishImport(const formats::ImportReport& report);
    void rebuildRecentMenu();
    void rememberRecent(const QString& path);
    bool resolveDirty();
    void offerRestore();
    void updateTitle();
    void classesChanged();
    void showError(const QString& message);
    void cursorMoved(QPoint pos, int classId);

    std::unique_ptr<Project> m_project;
    MaskDocument* m_document;
    ToolSettings* m_settings;
    Canvas* m_canvas;
    DatasetPanel* m_dataset = nullptr;
    ClassPalette* m_palette = nullptr;
    BatchRefiner* m_batch;
    ReviewQueueModel* m_review = nullptr;
    ReviewPanel* m_reviewPanel = nullptr;
    QDockWidget* m_reviewDock = nullptr;
    std::vector<AbstractTool*> m_tools;
    BoxRefineTool* m_boxTool = nullptr;
    QMenu* m_panelsMenu = nullptr;
    QMenu* m_recentMenu = nullptr;
    QLabel *m_posLabel = nullptr, *m_classLabel = nullptr, *m_zoomLabel = nullptr, *m_dirtyLabel = nullptr;
    QProgressBar* m_progress = nullptr;
    QTimer* m_autosave;
    DirtyPolicy m_dirtyPolicy = DirtyPolicy::Save;
    bool m_interactive = true;
};

} // namespace mf
