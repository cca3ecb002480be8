#pragma once
#include <QWidget>

class QListWidget;

namespace mf {

class Project;
class ToolSettings;

/** The class palette: the project's classes with their colours; picks the active class, adds,
 *  renames and recolours classes (written to the project, which MainWindow owns). */
class ClassPalette : public QWidget {
    Q_OBJECT
public:
    ClassPalette(ToolSettings* settings, QWidget* parent = nullptr);
    void setProject(Project* project);
    /** Adds a class named `name` with a default colour; returns its id (-1 without a project). */
    int addClass(const QString& name);
    bool renameClass(int id, const QString& name);
    bool recolourClass(int id, const QColor& colour);

Q_SIGNALS:
    /** Names or colours changed (the project was saved). */
    void classesChanged();

private:
    void rebuild();
    void askAdd();
    void askRename();
    void askRecolour();
    int currentId() const;

    Project* m_project = nullptr;
    ToolSettings* m_settings;
    QListWidget* m_list;
};

} // namespace mf
