#define G_LOG_DOMAIN "sextant-encryption-dialog"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "sextant-encryption-dialog.h"

/* The progress of encrypting a clear history in place, shown once, on the first start after
 * the update (issue 19). The work runs in a thread on a connection of its own; closing the app
 * meanwhile loses nothing (each batch is a transaction), so the dialog only reports. */

struct _SextantEncryptionDialog
{
  AdwWindow         parent_instance;
  GtkLabel         *message_label;
  GtkProgressBar   *progress_bar;
  GtkWidget        *close_button;
  SextantWorkspace *workspace;
  GCancellable     *cancellable;
  gboolean          done;
};

G_DEFINE_FINAL_TYPE (SextantEncryptionDialog, sextant_encryption_dialog, ADW_TYPE_WINDOW)

static void
sextant_encryption_dialog_dispose (GObject *object)
{
  SextantEncryptionDialog *self = SEXTANT_ENCRYPTION_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEXTANT_TYPE_ENCRYPTION_DIALOG);

  G_OBJECT_CLASS (sextant_encryption_dialog_parent_class)->dispose (object);
}

static void
sextant_encryption_dialog_finalize (GObject *object)
{
  SextantEncryptionDialog *self = SEXTANT_ENCRYPTION_DIALOG (object);

  g_clear_object (&self->workspace);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sextant_encryption_dialog_parent_class)->finalize (object);
}

static void
sextant_encryption_dialog_class_init (SextantEncryptionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sextant_encryption_dialog_dispose;
  object_class->finalize = sextant_encryption_dialog_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "sextant-encryption-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SextantEncryptionDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, SextantEncryptionDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SextantEncryptionDialog, close_button);
}

static void
sextant_encryption_dialog_init (SextantEncryptionDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

SextantEncryptionDialog *
sextant_encryption_dialog_new (GtkApplication   *application,
                               SextantWorkspace *workspace)
{
  SextantEncryptionDialog *self;

  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (workspace), NULL);

  self = g_object_new (SEXTANT_TYPE_ENCRYPTION_DIALOG, "application", application, NULL);
  self->workspace = g_object_ref (workspace);

  return self;
}

static void
progress_cb (gint64   done,
             gint64   total,
             gpointer user_data)
{
  SextantEncryptionDialog *self = user_data;
  g_autofree char *text = NULL;

  if (self->progress_bar == NULL)       /* disposed meanwhile */
    return;
  text = g_strdup_printf (_("%" PRId64 " of %" PRId64 " items"), done, total);
  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double) done / total : 1.0);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
encrypted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SextantEncryptionDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sextant_workspace_encrypt_finish (SEXTANT_WORKSPACE (object), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->message_label == NULL)
        return;
      message = g_strdup_printf (_("The history could not be encrypted: %s. Nothing was lost; "
                                   "Sextant tries again at the next start."), error->message);
      gtk_label_set_text (self->message_label, message);
      gtk_widget_set_visible (self->close_button, TRUE);
      gtk_window_set_deletable (GTK_WINDOW (self), TRUE);
      return;
    }
  self->done = TRUE;
  if (self->progress_bar != NULL)
    gtk_window_destroy (GTK_WINDOW (self));
}

/**
 * sextant_encryption_dialog_start:
 * @self: a dialog
 *
 * Starts encrypting the workspace's history; the dialog closes itself when it is done, or
 * says why it could not.
 */
void
sextant_encryption_dialog_start (SextantEncryptionDialog *self)
{
  g_return_if_fail (SEXTANT_IS_ENCRYPTION_DIALOG (self));

  /* The progress callback runs until the task's callback, which holds the dialog. */
  sextant_workspace_encrypt_async (self->workspace, progress_cb, self, self->cancellable, encrypted_cb,
                                   g_object_ref (self));
}

gboolean
sextant_encryption_dialog_get_done (SextantEncryptionDialog *self)
{
  g_return_val_if_fail (SEXTANT_IS_ENCRYPTION_DIALOG (self), FALSE);

  return self->done;
}
