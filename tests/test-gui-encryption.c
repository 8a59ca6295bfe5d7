#define G_LOG_DOMAIN "test-gui-encryption"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "sextant-encryption-dialog.h"
#include "sextant-test-util.h"
#include "test-gui-util.h"

/* The dialog of the history's migration to encryption at rest (issue 19), on a clear history
 * from an earlier Sextant opened as the app opens it (its key in the suite's keyring): its
 * progress bar moves from 0 to 1, it resumes a migration an earlier run left half done, and
 * closed in the middle it loses nothing, the next start finishing the work. That a kill -9
 * loses nothing is tested on the core in test-store-encryption /migration-killed. */

#define N_MESSAGES 2000
#define BATCH 500

static char *
message_text (guint i)
{
  return g_strdup_printf ("Message %u about the Quillfeather bond ladder", i);
}

/* A clear history as an earlier Sextant left it: no key, so every message is stored as text. */
static void
make_clear_history (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantStore) store = sextant_schema_open (path, &error);
  g_autoptr(SextantConversationStore) conversations = NULL;
  gint64 id;

  g_assert_no_error (error);
  conversations = sextant_conversation_store_new (store);
  id = sextant_conversation_store_create (conversations, "Quillfeather ladder", "analyst", NULL, &error);
  /* Faster to make; what is written is the same. */
  g_assert_true (sextant_store_exec (store, "PRAGMA synchronous = OFF", &error));
  for (guint i = 0; i < N_MESSAGES; i++)
    {
      g_autoptr(SextantConverseMessage) m = sextant_converse_message_new (i % 2 ? "assistant" : "user");
      g_autofree char *text = message_text (i);

      sextant_converse_message_add_text (m, text);
      g_assert_cmpint (sextant_conversation_store_append (conversations, id, m, SEXTANT_MESSAGE_COMPLETE, 0, 0, &error),
                       >, 0);
    }
}

static SextantWorkspace *
open_workspace (const char *path)
{
  g_autoptr(GError) error = NULL;
  SextantWorkspace *workspace = sextant_workspace_new ();

  g_setenv ("SEXTANT_DATABASE", path, TRUE);
  g_assert_true (sextant_workspace_open_store (workspace, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sextant_workspace_get_encryption_state (workspace), ==, SEXTANT_ENCRYPTION_MIGRATING);
  g_assert_nonnull (sextant_store_get_key (sextant_workspace_get_store (workspace)));

  return workspace;
}

/* Every message is there with its text, sealed or not yet: nothing lost. */
static void
assert_history_whole (SextantWorkspace *workspace)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = sextant_conversation_store_list (sextant_workspace_get_conversations (workspace), &error);
  g_autoptr(GPtrArray) messages = NULL;

  g_assert_cmpuint (list->len, ==, 1);
  messages = sextant_conversation_store_load_messages (sextant_workspace_get_conversations (workspace),
                                                       ((SextantConversationInfo *) list->pdata[0])->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, N_MESSAGES);
  for (guint i = 0; i < N_MESSAGES; i++)
    {
      g_autofree char *expected = message_text (i);

      g_assert_cmpstr (((SextantStoredMessage *) messages->pdata[i])->text, ==, expected);
    }
}

static gint64
count_clear (SextantWorkspace *workspace)
{
  return sextant_store_encryption_count_clear (sextant_workspace_get_store (workspace), NULL);
}

static void
fraction_cb (GtkProgressBar *bar,
             GParamSpec     *pspec,
             GArray         *seen)
{
  double fraction = gtk_progress_bar_get_fraction (bar);

  g_array_append_val (seen, fraction);
}

/* A progress callback that stops the run after its first batch, as a closed app would. */
static void
stop_after_first_batch_cb (gint64   done,
                           gint64   total,
                           gpointer user_data)
{
  if (done > 0)
    g_cancellable_cancel (user_data);
}

static void
test_resume_with_progress (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "sextant.db", NULL);
  g_autoptr(SextantWorkspace) workspace = NULL;
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *bytes = NULL;
  SextantEncryptionDialog *dialog;
  GtkProgressBar *bar;
  g_autofree char *last_text = NULL;
  gsize len = 0;
  gint64 clear;

  make_clear_history (path);
  workspace = open_workspace (path);
  /* The messages and the conversation's title. */
  clear = count_clear (workspace);
  g_assert_cmpint (clear, ==, N_MESSAGES + 1);
  /* An earlier start sealed one batch and was closed. */
  {
    g_autoptr(SextantStore) connection = sextant_store_open_connection (sextant_workspace_get_store (workspace), &error);

    g_assert_false (sextant_store_encryption_migrate (connection, BATCH, stop_after_first_batch_cb, cancellable,
                                                      cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
  }
  g_assert_cmpint (count_clear (workspace), ==, clear - BATCH);
  assert_history_whole (workspace);

  /* This start: the dialog goes on from there, its bar from 0 to 1. */
  dialog = sextant_encryption_dialog_new (NULL, workspace);
  g_object_ref (dialog);
  bar = GTK_PROGRESS_BAR (gtk_widget_get_template_child (GTK_WIDGET (dialog), SEXTANT_TYPE_ENCRYPTION_DIALOG,
                                                         "progress_bar"));
  g_signal_connect (bar, "notify::fraction", G_CALLBACK (fraction_cb), seen);
  test_gui_show_and_wait (GTK_WINDOW (dialog), 420, 160);
  sextant_encryption_dialog_start (dialog);
  TEST_GUI_WAIT_FOR (gtk_progress_bar_get_fraction (bar) > 0 || sextant_encryption_dialog_get_done (dialog));
  g_assert_cmpstr (gtk_progress_bar_get_text (bar), !=, NULL);
  TEST_GUI_WAIT_FOR (sextant_encryption_dialog_get_done (dialog));
  /* Done, it closed itself; what it showed went up in batches to the end. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_cmpuint (seen->len, >=, 1);
  for (guint i = 1; i < seen->len; i++)
    g_assert_cmpfloat (g_array_index (seen, double, i), >=, g_array_index (seen, double, i - 1));
  /* 1,501 rows in batches of 500: the bar stood at a third and two thirds on the way. */
  {
    guint between = 0;

    for (guint i = 0; i < seen->len; i++)
      between += g_array_index (seen, double, i) > 0 && g_array_index (seen, double, i) < 1;
    g_assert_cmpuint (between, >=, 2);
  }
  g_assert_cmpfloat (g_array_index (seen, double, seen->len - 1), ==, 1.0);
  last_text = g_strdup_printf ("%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " items", clear - BATCH, clear - BATCH);
  g_assert_cmpstr (gtk_progress_bar_get_text (bar), ==, last_text);
  g_assert_finalize_object (dialog);

  g_assert_cmpint (sextant_workspace_get_encryption_state (workspace), ==, SEXTANT_ENCRYPTION_ENCRYPTED);
  g_assert_cmpint (count_clear (workspace), ==, 0);
  assert_history_whole (workspace);
  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  g_assert_null (g_strstr_len (bytes, len, "Quillfeather"));
  g_clear_object (&workspace);
  sextant_test_remove_temp_dir (dir);
}

/* Closed as soon as it started (the app quit): nothing lost, and the next start finishes. */
static void
test_closed_midway (void)
{
  g_autofree char *dir = sextant_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "sextant.db", NULL);
  g_autoptr(SextantWorkspace) workspace = NULL;
  SextantEncryptionDialog *dialog;

  make_clear_history (path);
  workspace = open_workspace (path);
  dialog = sextant_encryption_dialog_new (NULL, workspace);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  test_gui_show_and_wait (GTK_WINDOW (dialog), 420, 160);
  sextant_encryption_dialog_start (dialog);
  gtk_window_destroy (GTK_WINDOW (dialog));
  /* The run holds the dialog until it has stopped between two batches. */
  TEST_GUI_WAIT_FOR (dialog == NULL);
  g_assert_cmpint (count_clear (workspace), <=, N_MESSAGES);
  assert_history_whole (workspace);

  dialog = sextant_encryption_dialog_new (NULL, workspace);
  g_object_ref (dialog);
  sextant_encryption_dialog_start (dialog);
  TEST_GUI_WAIT_FOR (sextant_encryption_dialog_get_done (dialog));
  g_object_unref (dialog);
  g_assert_cmpint (count_clear (workspace), ==, 0);
  assert_history_whole (workspace);
  g_clear_object (&workspace);
  sextant_test_remove_temp_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/sextant/gui/encryption/resume-with-progress", test_resume_with_progress);
  g_test_add_func ("/sextant/gui/encryption/closed-midway", test_closed_midway);

  return g_test_run ();
}
