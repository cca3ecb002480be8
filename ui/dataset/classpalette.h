#pragma once
#include <QWidget>

#include <vector>

class QListWidget;
class QPushButton;

namespace mf {

struct ClassInfo;

class Project;
class ToolSettings;

/** The class palette: the project's classes with their colours; picks the active class, adds,
 *  renames and recolours classes (written to the project, which MainWindow owns). */
class ClassPalette : public QWidget {
    Q_OBJECT
public:
    ClassPalette(ToolSettings* settings, QWidget* parent = nullptr);
    void setProject(Project* project);
    /** Adds a class named `name` with a default colour; returns its id (-1 without a project, or
     *  when the project cannot be saved: then errorOccurred() tells why and nothing changes). */
    int addClass(const QString& name);
    bool renameClass(int id, const QString& name);
    bool recolourClass(int id, const QColor& colour);

Q_SIGNALS:
    /** Names or colours changed (the project was saved). */
    void classesChanged();
    /** Saving the project failed; the change was undone. */
    void errorOccurred(const QString& message);

private:
    void rebuild();
    bool saveOrRevert(const std::vector<ClassInfo>& before);
    void askAdd();
    void askRename();
    void askRecolour();
    int currentId() const;

    Project* m_project = nullptr;
    ToolSettings* m_settings;
    QListWidget* m_list;
    QPushButton* m_addButton = nullptr;
};

} // namespace mf
