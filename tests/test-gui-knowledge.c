#define G_LOG_DOMAIN "test-gui-knowledge"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "fake-bedrock-server.h"
#include "kb-fixtures.h"
#include "sextant-chat-message.h"
#include "sextant-chat-window.h"
#include "sextant-knowledge-window.h"
#include "sextant-test-util.h"
#include "test-gui-util.h"

/* The Knowledge Base window: files added (as Add Files… and a drop do) are indexed in a worker
 * with progress while the window keeps drawing, a scanned PDF is named with "no text layer", the
 * search shows the passage of page 12 with its citation, and a document is removed. Offline:
 * no Bedrock client, keyword search. In the chat window against the fake Bedrock: the model's
 * bare [1] after a search_knowledge_base call becomes a link to page 12 of the policy. */

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

static SextantWorkspace *workspace;

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

static gboolean
is_label_with (GtkWidget     *widget,
               gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         strstr (gtk_label_get_label (GTK_LABEL (widget)), data) != NULL;
}

static gboolean
is_drop_down (GtkWidget     *widget,
              gconstpointer  data)
{
  return GTK_IS_DROP_DOWN (widget);
}

static gboolean
is_row_with_subtitle (GtkWidget     *widget,
                      gconstpointer  data)
{
  return ADW_IS_ACTION_ROW (widget) && adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)) != NULL &&
         strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)), data) != NULL;
}

static gboolean
is_tags_entry_of (GtkWidget     *widget,
                  gconstpointer  data)
{
  const char *path = g_object_get_data (G_OBJECT (widget), "path");

  return GTK_IS_ENTRY (widget) && path != NULL && g_str_has_suffix (path, data);
}

/* Whether the passages shown are there and all of documents ending in @suffix. */
static gboolean
all_from (GPtrArray  *results,
          const char *suffix)
{
  for (guint i = 0; i < results->len; i++)
    if (!g_str_has_suffix (((SextantKbPassage *) results->pdata[i])->path, suffix))
      return FALSE;

  return results->len > 0;
}

/* The tag filter beside the search box: it offers every tag, and the search then shows only
 * the passages of the documents carrying the one chosen; the rows say each document's tags. */
static void
test_tag_filter (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *db = g_build_filename (dir, "sextant.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) store = sextant_schema_open (db, &error);
  g_autoptr(SextantKbStore) kb = NULL;
  const char *names[] = { "investment-policy.pdf", "risk-manual.md", "meeting-minutes.txt" };
  const char *tags[] = { "policy", "risk", NULL };
  SextantKnowledgeWindow *window;
  GtkDropDown *filter;
  GListModel *choices;
  GPtrArray *results;

  g_assert_no_error (error);
  kb = sextant_kb_store_new (store);
  kb_fixture_write_corpus (dir);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      g_assert_true (sextant_kb_store_add_file (kb, path, NULL, NULL, NULL, NULL, &error));
      if (tags[i] != NULL)
        g_assert_true (sextant_kb_store_add_tag (kb, sextant_kb_store_find_document (kb, path, NULL), tags[i], &error));
      g_assert_no_error (error);
    }

  window = sextant_knowledge_window_new (kb, NULL);
  test_gui_show_and_wait (GTK_WINDOW (window), 760, 680);
  filter = GTK_DROP_DOWN (test_gui_find (GTK_WIDGET (window), is_drop_down, NULL));
  choices = gtk_drop_down_get_model (filter);
  g_assert_cmpuint (g_list_model_get_n_items (choices), ==, 3);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (choices), 0), ==, "All documents");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (choices), 1), ==, "policy");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (choices), 2), ==, "risk");
  g_assert_cmpuint (gtk_drop_down_get_selected (filter), ==, 0);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (filter)));
  g_assert_nonnull (test_gui_find (GTK_WIDGET (window), is_row_with_subtitle, "risk-manual.md · 1 passage · tags: risk"));

  /* The policy, the manual and the minutes all speak of the committee. */
  gtk_editable_set_text (GTK_EDITABLE (test_gui_find (GTK_WIDGET (window), is_search_entry, NULL)), "committee");
  results = sextant_knowledge_window_get_results (window);
  TEST_GUI_WAIT_FOR (results->len > 0 && !all_from (results, ".pdf") && !all_from (results, ".md"));
  gtk_drop_down_set_selected (filter, 2);
  TEST_GUI_WAIT_FOR (all_from (results, "risk-manual.md"));
  gtk_drop_down_set_selected (filter, 1);
  TEST_GUI_WAIT_FOR (all_from (results, "investment-policy.pdf"));
  test_gui_show_and_wait (GTK_WINDOW (window), 760, 680);
  test_gui_save_screenshot (GTK_WIDGET (window), "knowledge-window-tag.png");
  gtk_drop_down_set_selected (filter, 0);
  TEST_GUI_WAIT_FOR (results->len > 0 && !all_from (results, ".pdf"));

  /* The minutes' row edits their tags: typed with commas, Enter; the filter offers the new one. */
  {
    GtkEditable *editor = GTK_EDITABLE (test_gui_find (GTK_WIDGET (window), is_tags_entry_of,
                                                       "meeting-minutes.txt"));

    g_assert_cmpstr (gtk_editable_get_text (editor), ==, "");
    gtk_editable_set_text (editor, "minutes, Policy");
    g_signal_emit_by_name (editor, "activate");
    g_assert_nonnull (test_gui_find (GTK_WIDGET (window), is_row_with_subtitle,
                                     "meeting-minutes.txt · 1 passage · tags: minutes, Policy"));
    g_assert_cmpuint (g_list_model_get_n_items (choices), ==, 4);
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (choices), 1), ==, "minutes");
    /* A tag with a control character is refused and said so; the tags stay as they were. */
    editor = GTK_EDITABLE (test_gui_find (GTK_WIDGET (window), is_tags_entry_of, "meeting-minutes.txt"));
    gtk_editable_set_text (editor, "minutes, bad\ttag");
    g_signal_emit_by_name (editor, "activate");
    g_assert_nonnull (strstr (sextant_knowledge_window_get_status (window), "is not a tag"));
    g_assert_nonnull (test_gui_find (GTK_WIDGET (window), is_row_with_subtitle, "tags: minutes, Policy"));
    gtk_drop_down_set_selected (filter, 1);
    TEST_GUI_WAIT_FOR (all_from (results, "meeting-minutes.txt"));
  }

  test_gui_destroy_and_check (GTK_WINDOW (window));
  sextant_test_remove_temp_dir (dir);
}

/* The policy indexed into the workspace's knowledge base, which the chat window's tool searches. */
static void
index_policy (const char *dir)
{
  g_autofree char *library = g_build_filename (dir, "library", NULL);
  g_autofree char *pdf = g_build_filename (library, "investment-policy.pdf", NULL);
  g_autoptr(SextantKbStore) kb = sextant_kb_store_new (sextant_workspace_get_store (workspace));
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  SextantKbAddOutcome outcome;

  g_mkdir_with_parents (library, 0700);
  kb_fixture_write_corpus (library);
  g_assert_true (sextant_kb_store_add_file (kb, pdf, NULL, NULL, &outcome, &note, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, SEXTANT_KB_ADD_NEW);
}

static void
test_bedrock_citation_links (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autoptr(SextantAwsCredentials) creds = sextant_aws_credentials_new_static (AKID, SECRET, NULL, NULL);
  g_autoptr(SextantAwsCredentialsProvider) provider = sextant_aws_credentials_provider_new_static (creds);
  g_autoptr(SextantAwsConfig) config = NULL;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autoptr(SextantBedrockClient) client = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *link = NULL;
  g_autofree char *href = NULL;
  FakeBedrockServer *server = fake_bedrock_server_new ("us-east-1", AKID, SECRET);
  SextantConversationStore *conversations = sextant_workspace_get_conversations (workspace);
  const SextantChatToolCall *call;
  SextantChatWindow *window;
  SextantChatMessage *answer;
  JsonObject *first;
  GPtrArray *blocks;
  gboolean linked = FALSE;
  guint n;

  index_policy (dir);
  config = sextant_aws_config_new_for_endpoint ("us-east-1", fake_bedrock_server_get_url (server));
  client = sextant_bedrock_client_new (config, provider, session);
  g_object_set (client, "retry-base-delay-ms", 2, "idle-timeout-ms", 15000, NULL);
  window = sextant_chat_window_new_with_store (NULL, workspace, conversations);
  sextant_chat_window_set_client (window, client, NULL);
  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 800);

  fake_bedrock_server_push_tool_use (server, "", "tu-kb", "search_knowledge_base",
                                     "{\"query\":\"single issuer limit\",\"top_k\":3}");
  fake_bedrock_server_push_text (server, "Any single issuer is capped at seven percent of net assets [1].");
  sextant_chat_window_set_draft (window, "What is our single issuer limit?");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL));
  TEST_GUI_WAIT_FOR (!sextant_chat_window_get_busy (window));
  g_assert_null (sextant_chat_window_get_error (window));

  /* The question, the round of the search's card, the answer. Passage 1 is page 12. */
  n = g_list_model_get_n_items (sextant_chat_window_get_messages (window));
  g_assert_cmpuint (n, ==, 3);
  {
    g_autoptr(SextantChatMessage) round = g_list_model_get_item (sextant_chat_window_get_messages (window), 1);

    call = sextant_chat_message_get_tool_call (round, 0);
    g_assert_cmpstr (call->name, ==, "search_knowledge_base");
    g_assert_false (call->is_error);
    first = json_array_get_object_element (json_object_get_array_member (json_node_get_object (call->result),
                                                                         "passages"), 0);
    g_assert_cmpint (json_object_get_int_member (first, "id"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (first, "document"), ==, "investment-policy.pdf");
    g_assert_cmpint (json_object_get_int_member (first, "page"), ==, 12);
    g_assert_true (g_str_has_suffix (json_object_get_string_member (first, "uri"), "investment-policy.pdf#page=12"));
    /* The link the offline analyst's citation of the same passage carries. */
    link = g_strdup_printf ("[[1]](<%s>)", json_object_get_string_member (first, "uri"));
    href = g_strdup_printf ("href=\"%s\"", json_object_get_string_member (first, "uri"));
  }
  answer = g_list_model_get_item (sextant_chat_window_get_messages (window), 2);
  g_object_unref (answer); /* the list holds it */
  g_assert_nonnull (strstr (sextant_chat_message_get_text (answer), link));
  g_assert_null (strstr (sextant_chat_message_get_text (answer), "assets [1]."));

  /* Shown as a link: the rendered block and the label on screen carry it. */
  blocks = sextant_chat_message_get_blocks (answer);
  for (guint i = 0; i < blocks->len; i++)
    linked |= strstr (((SextantMarkdownBlock *) blocks->pdata[i])->markup, href) != NULL;
  g_assert_true (linked);
  test_gui_show_and_wait (GTK_WINDOW (window), 1100, 800);
  g_assert_nonnull (test_gui_find (GTK_WIDGET (window), is_label_with, href));

  /* Stored so: a reopened conversation, an export and the committee report see the link. */
  stored = sextant_conversation_store_load_messages (conversations, sextant_chat_window_get_conversation_id (window),
                                                     &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 4);
  g_assert_cmpstr (((SextantStoredMessage *) stored->pdata[3])->text, ==, sextant_chat_message_get_text (answer));

  g_assert_cmpuint (fake_bedrock_server_get_n_bad_signatures (server), ==, 0);
  test_gui_destroy_and_check (GTK_WINDOW (window));
  soup_session_abort (session);
  fake_bedrock_server_free (server);
  sextant_test_remove_temp_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *database_dir = NULL;
  g_autofree char *database = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* The chat window's tools read the workspace's database, of the test's own. */
  workspace = sextant_test_load_demo_workspace ();
  database = g_build_filename (database_dir = sextant_test_make_temp_dir (), "sextant.db", NULL);
  g_setenv ("SEXTANT_DATABASE", database, TRUE);
  if (!sextant_workspace_open_store (workspace, &error))
    g_error ("%s", error->message);

  g_test_add_func ("/sextant/gui/knowledge/add-search-remove", test_add_search_remove);
  g_test_add_func ("/sextant/gui/knowledge/tag-filter", test_tag_filter);
  g_test_add_func ("/sextant/gui/knowledge/bedrock-citation-links", test_bedrock_citation_links);

  status = g_test_run ();
  g_clear_object (&workspace);
  sextant_test_remove_temp_dir (database_dir);

  return status;
}
