#define G_LOG_DOMAIN "sextant-chart-style"

#include "config.h"

#include <math.h>

#include "chart/sextant-chart-style.h"

G_DEFINE_BOXED_TYPE (SextantChartStyle, sextant_chart_style,
                     sextant_chart_style_copy, sextant_chart_style_free)

/**
 * sextant_chart_color_from_hex:
 * @rgb: 0xRRGGBB
 * @alpha: opacity, 0 to 1
 *
 * Returns: the colour
 */
SextantChartColor
sextant_chart_color_from_hex (guint32 rgb,
                              double  alpha)
{
  return (SextantChartColor) {
    ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0, alpha,
  };
}

/**
 * sextant_chart_color_mix:
 * @a: the colour at @t = 0
 * @b: the colour at @t = 1
 * @t: the mix, 0 to 1
 *
 * Returns: the linear mix of the two colours (in sRGB, which is what diverging scales such as
 *   ColorBrewer's RdBu are specified in)
 */
SextantChartColor
sextant_chart_color_mix (SextantChartColor a,
                         SextantChartColor b,
                         double            t)
{
  t = CLAMP (t, 0, 1);
  return (SextantChartColor) {
    a.red + (b.red - a.red) * t, a.green + (b.green - a.green) * t,
    a.blue + (b.blue - a.blue) * t, a.alpha + (b.alpha - a.alpha) * t,
  };
}

/**
 * sextant_chart_color_luminance:
 * @color: a colour
 *
 * Returns: its relative luminance (WCAG 2.1), used to pick black or white text on a fill
 */
double
sextant_chart_color_luminance (SextantChartColor color)
{
  double c[3] = { color.red, color.green, color.blue };

  for (guint i = 0; i < 3; i++)
    c[i] = c[i] <= 0.04045 ? c[i] / 12.92 : pow ((c[i] + 0.055) / 1.055, 2.4);

  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

static SextantChartStyle *
style_new_common (void)
{
  SextantChartStyle *self = g_new0 (SextantChartStyle, 1);

  self->font_family = g_strdup ("DejaVu Sans");
  self->font_size = 11;
  self->line_width = 1.5;
  self->grid_line_width = 1;
  /* ColorBrewer RdBu ends: a diverging scale readable with red-green colour blindness. */
  self->heat_low = sextant_chart_color_from_hex (0x2166ac, 1);
  self->heat_high = sextant_chart_color_from_hex (0xb2182b, 1);

  return self;
}

/**
 * sextant_chart_style_new_light:
 *
 * Dark text on white, the Okabe-Ito palette starting with its blue; its orange, yellow and sky
 * blue are darkened to keep a 3:1 contrast with white (WCAG's minimum for graphics).
 *
 * Returns: (transfer full): a new style
 */
SextantChartStyle *
sextant_chart_style_new_light (void)
{
  static const guint32 palette[SEXTANT_CHART_PALETTE_SIZE] = {
    0x0072b2, 0xb87d00, 0x009e73, 0xd55e00, 0xcc79a7, 0x8a7a00, 0x3a8fc7, 0x555555,
  };
  SextantChartStyle *self = style_new_common ();

  self->background = sextant_chart_color_from_hex (0xffffff, 1);
  self->foreground = sextant_chart_color_from_hex (0x1e1e1e, 1);
  self->grid = sextant_chart_color_from_hex (0x000000, 0.10);
  self->axis = sextant_chart_color_from_hex (0x000000, 0.45);
  self->axis_text = sextant_chart_color_from_hex (0x4a4a4a, 1);
  for (guint i = 0; i < SEXTANT_CHART_PALETTE_SIZE; i++)
    self->palette[i] = sextant_chart_color_from_hex (palette[i], 1);
  self->positive = sextant_chart_color_from_hex (0x009e73, 1);
  self->negative = sextant_chart_color_from_hex (0xd55e00, 1);
  self->band_fill = sextant_chart_color_from_hex (0x0072b2, 0.15);
  self->highlight = sextant_chart_color_from_hex (0xc01c28, 1);
  self->heat_mid = sextant_chart_color_from_hex (0xf7f7f7, 1);

  return self;
}

/**
 * sextant_chart_style_new_dark:
 *
 * Light text on a dark grey, the Okabe-Ito palette with its dark blue replaced by sky blue so
 * every series keeps a contrast of at least 3:1 with the background.
 *
 * Returns: (transfer full): a new style
 */
SextantChartStyle *
sextant_chart_style_new_dark (void)
{
  static const guint32 palette[SEXTANT_CHART_PALETTE_SIZE] = {
    0x56b4e9, 0xe69f00, 0x2ec4a0, 0xf07a3a, 0xe29fc6, 0xf0e442, 0x8fb8ff, 0xbbbbbb,
  };
  SextantChartStyle *self = style_new_common ();

  self->dark = TRUE;
  self->background = sextant_chart_color_from_hex (0x1e1e1e, 1);
  self->foreground = sextant_chart_color_from_hex (0xf0f0f0, 1);
  self->grid = sextant_chart_color_from_hex (0xffffff, 0.12);
  self->axis = sextant_chart_color_from_hex (0xffffff, 0.45);
  self->axis_text = sextant_chart_color_from_hex (0xc8c8c8, 1);
  for (guint i = 0; i < SEXTANT_CHART_PALETTE_SIZE; i++)
    self->palette[i] = sextant_chart_color_from_hex (palette[i], 1);
  self->positive = sextant_chart_color_from_hex (0x2ec4a0, 1);
  self->negative = sextant_chart_color_from_hex (0xf07a3a, 1);
  self->band_fill = sextant_chart_color_from_hex (0x56b4e9, 0.20);
  self->highlight = sextant_chart_color_from_hex (0xff6b6b, 1);
  self->heat_low = sextant_chart_color_from_hex (0x4393c3, 1);
  self->heat_mid = sextant_chart_color_from_hex (0x2a2a2a, 1);
  self->heat_high = sextant_chart_color_from_hex (0xd6604d, 1);

  return self;
}

/**
 * sextant_chart_style_copy:
 * @self: a style
 *
 * Returns: (transfer full): a deep copy
 */
SextantChartStyle *
sextant_chart_style_copy (const SextantChartStyle *self)
{
  SextantChartStyle *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->font_family = g_strdup (self->font_family);

  return copy;
}

/**
 * sextant_chart_style_free:
 * @self: (nullable): a style
 */
void
sextant_chart_style_free (SextantChartStyle *self)
{
  if (self == NULL)
    return;
  g_free (self->font_family);
  g_free (self);
}

/**
 * sextant_chart_style_set_font_family:
 * @self: a style
 * @font_family: a family name such as "Cantarell"
 */
void
sextant_chart_style_set_font_family (SextantChartStyle *self,
                                     const char        *font_family)
{
  g_return_if_fail (self != NULL && font_family != NULL);

  g_free (self->font_family);
  self->font_family = g_strdup (font_family);
}

/**
 * sextant_chart_style_get_series_color:
 * @self: a style
 * @index: the series number; the palette repeats after %SEXTANT_CHART_PALETTE_SIZE
 *
 * Returns: the colour of that series
 */
SextantChartColor
sextant_chart_style_get_series_color (const SextantChartStyle *self,
                                      guint                    index)
{
  return self->palette[index % SEXTANT_CHART_PALETTE_SIZE];
}
