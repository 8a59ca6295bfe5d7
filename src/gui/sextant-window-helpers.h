#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef void (*SextantFileChosenFunc) (GFile    *file,
                                       gpointer  user_data);

GtkWidget *sextant_window_new_kpi_tile (const char *title,
                                        const char *caption,
                                        GtkWidget  *value);

void sextant_window_bind_size           (GtkWindow             *window,
                                         GSettings             *settings,
                                         const char            *prefix);
void sextant_window_attach_primary_menu (GtkMenuButton         *button,
                                         GtkWindow             *window);
void sextant_window_choose_save_file    (GtkWindow             *parent,
                                         const char            *title,
                                         const char            *initial_name,
                                         GtkFileFilter         *filter,
                                         SextantFileChosenFunc  callback,
                                         gpointer               user_data);

/* Writes @report to @file; may run in a worker thread. */
typedef gboolean (*SextantReportWriteFunc) (gpointer   report,
                                            GFile     *file,
                                            GError   **error);

void      sextant_window_choose_pdf_file      (GtkWindow              *parent,
                                               const char             *title,
                                               const char             *initial_name,
                                               SextantFileChosenFunc   callback,
                                               gpointer                user_data);
void      sextant_window_write_report         (GTask                  *task,
                                               gpointer                report,
                                               GDestroyNotify          report_free,
                                               SextantReportWriteFunc  write,
                                               GFile                  *file);
AdwToast *sextant_window_new_report_toast     (const char             *saved,
                                               GFile                  *file,
                                               const GError           *error);
void      sextant_window_open_report_action   (GtkWidget              *widget,
                                               const char             *action_name,
                                               GVariant               *parameter);

G_END_DECLS
