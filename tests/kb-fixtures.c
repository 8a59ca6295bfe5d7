#define G_LOG_DOMAIN "kb-fixtures"

#include "config.h"

#include <cairo-pdf.h>
#include <cairo.h>

#include "kb-fixtures.h"

/* Each page of the generated policy names its page number and a topic of its own, so a search
 * for one page's words has one right answer; page 12 also holds KB_PAGE12_SENTENCE. */
static const char * const topics[] = {
  "scope and purpose of this investment policy statement",
  "roles of the board, the committee and the portfolio managers",
  "return objectives over a full market cycle",
  "liquidity needs and cash buffers for redemptions",
  "time horizon of the endowment and spending rule",
  "tax considerations and withholding on foreign dividends",
  "legal and regulatory constraints of the fund",
  "strategic asset allocation and its ranges",
  "rebalancing bands and the calendar review",
  "benchmarks for each asset class",
  "currency hedging of developed market equities",
  "concentration limits for issuers and sectors",
  "derivatives allowed only to hedge existing exposures",
  "securities lending and collateral quality",
  "proxy voting and stewardship",
  "reporting to the committee every quarter",
  "review and amendment of this statement",
};

void
kb_fixture_write_pdf (const char  *path,
                      guint        n_pages,
                      const char  *title,
                      const guint *pages_without_text,
                      guint        n_pages_without_text)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, 595, 842);
  cairo_t *cr = cairo_create (surface);

  if (title != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 11);
  for (guint page = 1; page <= n_pages; page++)
    {
      gboolean scanned = FALSE;
      g_autofree char *heading = g_strdup_printf ("Section %u: %s.", page, topics[(page - 1) % G_N_ELEMENTS (topics)]);

      for (guint i = 0; i < n_pages_without_text; i++)
        scanned |= pages_without_text[i] == page;
      if (scanned)
        {
          /* What a scanner leaves: marks on the page and no text layer. */
          cairo_rectangle (cr, 50, 50, 400, 300);
          cairo_fill (cr);
        }
      else
        {
          cairo_move_to (cr, 50, 60);
          cairo_show_text (cr, heading);
          cairo_move_to (cr, 50, 80);
          cairo_show_text (cr, "This page belongs to the investment policy of the fund.");
          if (page == 12)
            {
              cairo_move_to (cr, 50, 100);
              cairo_show_text (cr, KB_PAGE12_SENTENCE);
            }
        }
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

char *
kb_fixture_write_file (const char *dir,
                       const char *name,
                       const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  return path;
}

/* A small desk library with known answers (tests/data/knowledge/README.md lists the questions). */
void
kb_fixture_write_corpus (const char *dir)
{
  g_autofree char *pdf = g_build_filename (dir, "investment-policy.pdf", NULL);

  kb_fixture_write_pdf (pdf, 15, "Investment Policy Statement", NULL, 0);
  g_free (kb_fixture_write_file (dir, "risk-manual.md",
    "# Risk Manual\n\n"
    "## Value at risk\n\n"
    "The desk reports one-day value at risk at the 99 percent level every morning. "
    "Historical simulation over the last 500 trading days is the official method.\n\n"
    "## Limits\n\n"
    "A breach of the VaR limit must be escalated to the chief risk officer within one hour. "
    "Stop-loss limits are reviewed monthly by the risk committee.\n\n"
    "## Stress testing\n\n"
    "Stress scenarios replay the 2008 crisis and the 2020 pandemic sell-off each week.\n"));
  g_free (kb_fixture_write_file (dir, "research-note.html",
    "<html><head><title>Research note: Microsoft</title><style>p { color: red; }</style>"
    "<script>var tracking = 'analytics beacon';</script></head><body>"
    "<h1>Microsoft outlook</h1><p>Cloud revenue grew strongly and margins expanded.</p>"
    "<p>We rate the shares overweight with a twelve month target based on free cash flow.</p>"
    "</body></html>"));
  g_free (kb_fixture_write_file (dir, "approved-brokers.csv",
    "broker,country,approved_since\n"
    "Northbridge Securities,United Kingdom,2015\n"
    "Harbor Clearing,United States,2018\n"
    "Alpenblick Bank,Switzerland,2020\n"));
  g_free (kb_fixture_write_file (dir, "meeting-minutes.txt",
    "Minutes of the investment committee.\n\n"
    "The committee approved a new emerging market debt mandate of 50 million dollars. "
    "Members asked for a review of the currency hedging ratio at the next meeting.\n"));
}
