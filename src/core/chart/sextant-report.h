#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "chart/sextant-chart-model.h"
#include "chart/sextant-chart-style.h"

G_BEGIN_DECLS

/**
 * SextantReportPaintFunc:
 * @cr: the page's context, translated so that the chart's box starts at (0, 0)
 * @width: the box's width in points
 * @height: the box's height in points
 * @user_data: the data given with the callback
 *
 * Draws a chart (or anything else) into a box on a report page.
 */
typedef void (*SextantReportPaintFunc) (cairo_t  *cr,
                                        double    width,
                                        double    height,
                                        gpointer  user_data);

typedef struct _SextantReport SextantReport;

SextantReport *sextant_report_new             (const char              *title,
                                               const char              *portfolio_name,
                                               const char              *date);
void           sextant_report_free            (SextantReport           *self);
void           sextant_report_add_page        (SextantReport           *self,
                                               const char              *heading);
void           sextant_report_add_paragraph   (SextantReport           *self,
                                               const char              *text);
void           sextant_report_add_row         (SextantReport           *self,
                                               const char              *label,
                                               const char              *value);
void           sextant_report_set_chart       (SextantReport           *self,
                                               SextantReportPaintFunc   paint,
                                               gpointer                 user_data,
                                               GDestroyNotify           destroy);
void           sextant_report_set_chart_model (SextantReport           *self,
                                               SextantChartKind         kind,
                                               gconstpointer            model,
                                               const SextantChartStyle *style);
guint          sextant_report_count_pages     (SextantReport           *self);
gboolean       sextant_report_write_pdf       (SextantReport           *self,
                                               GFile                   *file,
                                               GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantReport, sextant_report_free)

G_END_DECLS
