#pragma once
#include "formats/formatimport.h"
#include "files/formatjob.h"
#include "project/project.h"
#include "review/reviewqueue.h"

#include <QIcon>
#include <QMainWindow>
#include <QFutureWatcher>
#include <QVector>

#include <atomic>

#include <memory>
#include <vector>

class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QSlider;
class QTimer;
class QToolBar;
class QToolButton;

namespace mf {

class AbstractTool;
class BatchRefiner;
class BatchRefineDialog;
class BoxRefineTool;
class ClickSegmentTool;
class LiveClassifierTool;
struct LiveProposals;
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
    /** Sets image `row`'s status by hand (the dataset list's context menu) and saves; errors shown. */
    bool setImageStatus(int row, ImageStatus status);
    /** Imports YOLO/VOC/COCO boxes as coarse masks. */
    bool importBoxes(const QString& path);
    /** Imports annotations (File > Import) into the open project, or into `projectDir` (made or added
     *  to) and opens it; saves the project after the masks exist and shows the result. */
    bool importAnnotations(const formats::ImportRequest& request, const QString& projectDir = {});
    /** Exports the open project (File > Export): first what the format cannot carry, said before anything
     *  is written (asked about when interactive; refused with request.strict), then the export. Both run
     *  off the GUI thread; the window stays responsive. */
    bool exportAnnotations(const formats::ExportRequest& request);
    /** The import or export running off the GUI thread, if any. */
    FormatJob* formatJob() const { return m_formatJob; }
    /** File > New project from images: creates the project (createProjectFromImages) and opens it;
     *  false (error shown) when it cannot be made or the open image's edits are not resolved. */
    bool newProject(const QString& projectDir, const QString& imagesDir, const QStringList& classNames);
    void refineAllCoarse();

    void setDirtyPolicy(DirtyPolicy policy) { m_dirtyPolicy = policy; }
    /** Off in tests: no modal dialogs, errors go to the status bar only. */
    void setInteractive(bool interactive) { m_interactive = interactive; }
    /** True on a first start on a screen under 900 px high (a laptop): show it maximised. */
    bool startsMaximized() const { return m_startMaximized; }
    /** Adds a dockable panel (its content scrolls when the screen is small) and its toggle to the
     *  Panels menu (extension point for later panels). */
    void addPanel(QDockWidget* dock, Qt::DockWidgetArea area);
    /** Applies the saved window and dock layout; call once every panel is added (the first show
     *  does it otherwise). The layout as built becomes the one View > Reset layout returns to. */
    void restoreLayout();
    /** Back to the layout as built: every default panel where it started. */
    void resetLayout();
    /** The tool bar with open, save, undo, next... (panels add their own main actions to it). */
    QToolBar* mainToolBar() const { return m_mainBar; }
    QToolBar* toolsToolBar() const { return m_toolBar; }
    /** The Help menu: panels put their menus before it. */
    QMenu* helpMenu() const { return m_helpMenu; }

    /** One line of the keyboard-shortcut sheet. */
    struct Shortcut {
        QString group, action, keys;
    };
    /** Every action of the window that has a shortcut, read from the actions themselves. */
    QVector<Shortcut> shortcutSheet() const;
    void showShortcuts();
    void showAbout();
    /** Version and the licences of Qt, LibTorch and OpenCV (the About box's text). */
    static QString aboutText();
    /** The README: installed under share/doc/maskforge, else the source tree's. */
    static QString readmePath();
    /** The application icon (from resources/). */
    static QIcon appIcon();

    Project* project() const { return m_project.get(); }
    MaskDocument* document() const { return m_document; }
    Canvas* canvas() const { return m_canvas; }
    ToolSettings* toolSettings() const { return m_settings; }
    DatasetPanel* datasetPanel() const { return m_dataset; }
    ClassPalette* classPalette() const { return m_palette; }
    BatchRefiner* batchRefiner() const { return m_batch; }
    /** The batch refinement's window (mode, progress, per-class scores and choices); null until the first batch. */
    BatchRefineDialog* batchRefineDialog() const { return m_batchDialog; }
    /** The project's one review queue; producers (batch refinement, model-assisted refinement) add to it. */
    ReviewQueueModel* reviewQueue() const { return m_review; }
    ReviewPanel* reviewPanel() const { return m_reviewPanel; }
    /** Shows queued image `row` with its proposal applied as an unsaved edit, the coarse mask beside
     *  it, and the review panel. */
    bool openForReview(int row);
    /** Queues a proposal written by writeProposal() for the open project (errors shown); false when it
     *  is not for this project. */
    bool queueProposal(const ReviewEntry& entry);
    /** Queues several proposals with one save of the queue (the batch's hand-over). */
    bool queueProposals(const QList<ReviewEntry>& entries);
    const std::vector<AbstractTool*>& tools() const { return m_tools; }
    BoxRefineTool* boxRefineTool() const { return m_boxTool; }
    ClickSegmentTool* clickSegmentTool() const { return m_clickTool; }
    LiveClassifierTool* liveClassifierTool() const { return m_liveTool; }
    /** "Predict all unlabelled images": the live classifier trained on the project's strokes proposes a
     *  mask for each unlabelled image, in a worker; the proposals join the review queue. False when it
     *  cannot start (no project, one already running). */
    bool predictAllUnlabelled();
    bool isPredictingUnlabelled() const;
    void activateTool(AbstractTool* tool);

Q_SIGNALS:
    /** Another project is open (or none): panels that show per-project state reset. */
    void projectChanged(mf::Project* project);

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void createTools();
    void createPanels();
    void createReviewPanel();
    void createLiveActions(QMenu* tools);
    void livePredictionFinished();
    void showProposal(int row);
    void createMenus();
    /** Undo/redo, revert, mark reviewed, next image and the class digits. */
    void createEditMenu();
    void createViewToolBar();
    void createToolBars();
    void createBrushSizeControl(QToolBar* bar);
    void createHelpMenu();
    void updateClassSwatch();
    void restoreToolSettings();
    void saveLayout() const;
    void arrangeDefaultDocks();
    QString projectDir() const { return m_project ? QString::fromStdString(m_project->root()) : QString(); }
    static void initResources();
    void createStatusBar();
    void openDialog();
    void importDialog();
    void newProjectDialog();
    void exportDialog();
    void finishImport(const formats::ImportReport& report);
    /** Starts `work` on m_formatJob and runs the event loop until its `done` has run; false when another
     *  job runs (error shown) or it could not start. */
    bool runFormatJob(const QString& what, bool cancellable, FormatJob::Work work, std::function<void(const FormatJob::Result&)> done);
    /** Takes an import's result into the window (runs before a project switch or close completes). */
    bool applyImport(const FormatJob::Result& result, const QString& projectDir);
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
    BatchRefineDialog* m_batchDialog = nullptr;
    FormatJob* m_formatJob;
    ReviewQueueModel* m_review = nullptr;
    ReviewPanel* m_reviewPanel = nullptr;
    QDockWidget* m_reviewDock = nullptr;
    std::vector<AbstractTool*> m_tools;
    BoxRefineTool* m_boxTool = nullptr;
    ClickSegmentTool* m_clickTool = nullptr;
    LiveClassifierTool* m_liveTool = nullptr;
    QFutureWatcher<std::shared_ptr<LiveProposals>>* m_livePredict = nullptr;
    std::shared_ptr<std::atomic<bool>> m_livePredictCancel;
    std::string m_livePredictRoot;  ///< the project the running prediction is for
    QMenu* m_panelsMenu = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_helpMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QToolBar *m_mainBar = nullptr, *m_toolBar = nullptr;
    QToolButton* m_classButton = nullptr;
    QByteArray m_defaultState;
    QSize m_defaultSize;
    bool m_layoutRestored = false;
    QLabel *m_posLabel = nullptr, *m_classLabel = nullptr, *m_zoomLabel = nullptr, *m_dirtyLabel = nullptr;
    QProgressBar* m_progress = nullptr;
    QTimer* m_autosave;
    DirtyPolicy m_dirtyPolicy = DirtyPolicy::Save;
    bool m_interactive = true;
    bool m_startMaximized = false;
};

} // namespace mf
