#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SEXTANT_TYPE_CHART_STYLE (sextant_chart_style_get_type ())
#define SEXTANT_CHART_PALETTE_SIZE 8

/**
 * SextantChartColor:
 *
 * A straight (not premultiplied) RGBA colour, components 0 to 1.
 */
typedef struct
{
  double red;
  double green;
  double blue;
  double alpha;
} SextantChartColor;

/**
 * SextantChartStyle:
 * @background: fill behind everything
 * @foreground: titles and legend text
 * @grid: grid lines
 * @axis: axis lines and tick marks
 * @axis_text: tick labels and axis titles
 * @palette: series colours (Okabe-Ito, safe for the common colour-vision deficiencies)
 * @positive: rising candles, gains
 * @negative: falling candles, losses, drawdowns
 * @band_fill: indicator bands (Bollinger) and fan-chart bands, used with its alpha
 * @highlight: the chosen portfolio, VaR and ES markers
 * @heat_low: heatmap colour at the minimum (−1)
 * @heat_mid: heatmap colour at the midpoint (0)
 * @heat_high: heatmap colour at the maximum (+1)
 * @font_family: a fontconfig family name
 * @font_size: the size of tick labels in device units (pixels at 1:1); titles are 1.25 ×
 * @line_width: series lines
 * @grid_line_width: grid lines
 * @dark: whether this is a dark scheme (painters pick contrasting text on fills with it)
 *
 * Everything a painter needs to know about looks. The GUI fills it from CSS; the core offers
 * light and dark presets. A plain struct: change fields directly.
 */
typedef struct
{
  SextantChartColor background;
  SextantChartColor foreground;
  SextantChartColor grid;
  SextantChartColor axis;
  SextantChartColor axis_text;
  SextantChartColor palette[SEXTANT_CHART_PALETTE_SIZE];
  SextantChartColor positive;
  SextantChartColor negative;
  SextantChartColor band_fill;
  SextantChartColor highlight;
  SextantChartColor heat_low;
  SextantChartColor heat_mid;
  SextantChartColor heat_high;
  char             *font_family;
  double            font_size;
  double            line_width;
  double            grid_line_width;
  gboolean          dark;
} SextantChartStyle;

GType              sextant_chart_style_get_type        (void) G_GNUC_CONST;
SextantChartStyle *sextant_chart_style_new_light       (void);
SextantChartStyle *sextant_chart_style_new_dark        (void);
SextantChartStyle *sextant_chart_style_copy            (const SextantChartStyle *self);
void               sextant_chart_style_free            (SextantChartStyle       *self);
void               sextant_chart_style_set_font_family (SextantChartStyle       *self,
                                                        const char              *font_family);
SextantChartColor  sextant_chart_style_get_series_color (const SextantChartStyle *self,
                                                         guint                    index);
SextantChartColor  sextant_chart_color_from_hex        (guint32                  rgb,
                                                        double                   alpha);
SextantChartColor  sextant_chart_color_mix             (SextantChartColor        a,
                                                        SextantChartColor        b,
                                                        double                   t);
double             sextant_chart_color_luminance       (SextantChartColor        color);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantChartStyle, sextant_chart_style_free)

G_END_DECLS
