#define G_LOG_DOMAIN "test-gui-knowledge"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "kb-fixtures.h"
#include "sextant-knowledge-window.h"
#include "sextant-test-util.h"
#include "test-gui-util.h"

/* The Knowledge Base window: files added (as Add Files… and a drop do) are indexed in a worker
 * with progress while the window keeps drawing, a scanned PDF is named with "no text layer", the
 * search shows the passage of page 12 with its citation, and a document is removed. Offline:
 * no Bedrock client, keyword search. */

static gboolean
is_search_entry (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_SEARCH_ENTRY (widget);
}

static gboolean
is_remove_policy_button (GtkWidget     *widget,
                         gconstpointer  data)
{
  const char *path = g_object_get_data (G_OBJECT (widget), "path");

  return GTK_IS_BUTTON (widget) && path != NULL && g_str_has_suffix (path, "investment-policy.pdf");
}

static void
test_add_search_remove (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *db = g_build_filename (dir, "sextant.db", NULL);
  g_autofree char *library = g_build_filename (dir, "library", NULL);
  g_autofree char *scan = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) store = sextant_schema_open (db, &error);
  g_autoptr(SextantKbStore) kb = NULL;
  const guint all[] = { 1 };
  const char *paths[] = { library, NULL };
  SextantKnowledgeWindow *window;
  GtkEditable *search;
  GtkButton *remove;
  GPtrArray *results;
  SextantKbPassage *best;

  g_assert_no_error (error);
  kb = sextant_kb_store_new (store);
  g_mkdir_with_parents (library, 0700);
  kb_fixture_write_corpus (library);
  scan = g_build_filename (library, "scan.pdf", NULL);
  kb_fixture_write_pdf (scan, 1, NULL, all, 1);

  window = sextant_knowledge_window_new (kb, NULL);
  test_gui_show_and_wait (GTK_WINDOW (window), 760, 680);
  g_assert_cmpuint (sextant_knowledge_window_get_n_documents (window), ==, 0);
  g_assert_true (g_str_has_prefix (sextant_knowledge_window_get_status (window), "No documents yet"));

  sextant_knowledge_window_add_paths (window, paths);
  g_assert_true (sextant_knowledge_window_get_busy (window));
  TEST_GUI_WAIT_FOR (!sextant_knowledge_window_get_busy (window));
  g_assert_cmpuint (sextant_knowledge_window_get_n_documents (window), ==, 5);
  g_assert_nonnull (strstr (sextant_knowledge_window_get_status (window), "5 indexed"));
  g_assert_nonnull (strstr (sextant_knowledge_window_get_status (window), "scan.pdf, page 1: no text layer"));

  search = GTK_EDITABLE (test_gui_find (GTK_WIDGET (window), is_search_entry, NULL));
  gtk_editable_set_text (search, "single issuer limit");
  results = sextant_knowledge_window_get_results (window);
  TEST_GUI_WAIT_FOR (results->len > 0);
  best = results->pdata[0];
  g_assert_true (g_str_has_suffix (best->path, "investment-policy.pdf"));
  g_assert_cmpuint (best->page, ==, 12);
  g_assert_nonnull (strstr (best->text, KB_PAGE12_SENTENCE));
  g_assert_nonnull (strstr (sextant_knowledge_window_get_status (window), "keyword search only"));
  test_gui_show_and_wait (GTK_WINDOW (window), 760, 680);
  test_gui_save_screenshot (GTK_WIDGET (window), "knowledge-window.png");

  /* Its row's Remove button removes the policy; the next search no longer finds it. */
  remove = GTK_BUTTON (test_gui_find (GTK_WIDGET (window), is_remove_policy_button, NULL));
  g_signal_emit_by_name (remove, "clicked");
  g_assert_cmpuint (sextant_knowledge_window_get_n_documents (window), ==, 4);
  g_assert_cmpint (sextant_kb_store_find_document (kb, "investment-policy.pdf", NULL), ==, 0);
  gtk_editable_set_text (search, "single issuer concentration");
  TEST_GUI_WAIT_FOR (results->len == 0 || !g_str_has_suffix (((SextantKbPassage *) results->pdata[0])->path, ".pdf"));

  test_gui_destroy_and_check (GTK_WINDOW (window));
  sextant_test_remove_temp_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/sextant/gui/knowledge/add-search-remove", test_add_search_remove);

  return g_test_run ();
}
