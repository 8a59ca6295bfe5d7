#define G_LOG_DOMAIN "sextant-role-prompts-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sextant-role-prompts-window.h"

/* Edits the system prompt of each assistant role: one page per role with the prompt in a text
 * view, Save and Reset to Default. Prompts are kept by the SextantConversationStore, which the
 * agent asks at the start of every turn, so a saved prompt is used from the next question on, in
 * every conversation of that role. A prompt saved equal to the built-in one is stored as “no
 * edit”, so it follows the built-in prompt when a release improves it. */

typedef struct
{
  char          *role;
  GtkWidget     *page;
  GtkTextBuffer *buffer;
  GtkWidget     *status;
  GtkWidget     *save;
  GtkWidget     *reset;
} RolePage;

struct _SextantRolePromptsWindow
{
  AdwWindow                 parent_instance;

  GtkStack                 *stack;

  SextantConversationStore *conversations;
  GPtrArray                *pages;
};

enum { PROP_0, PROP_CONVERSATIONS, N_PROPS };
static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (SextantRolePromptsWindow, sextant_role_prompts_window, ADW_TYPE_WINDOW)

/* The names the chat window's role picker shows, in its words, then the specialist desks the
 * portfolio manager's assistant asks (issue 17), whose prompts are edited the same way. */
static const struct { const char *id, *name; } role_names[] = {
  { SEXTANT_ROLE_ANALYST, N_("Analyst") },
  { SEXTANT_ROLE_PORTFOLIO_MANAGER, N_("Portfolio Manager") },
  { SEXTANT_ROLE_RISK_OFFICER, N_("Risk Officer") },
  { SEXTANT_ROLE_FX_DESK, N_("FX Desk") },
  { SEXTANT_ROLE_RATES_DESK, N_("Rates Desk") },
  { SEXTANT_ROLE_CREDIT_DESK, N_("Credit Desk") },
};

static void
role_page_free (RolePage *page)
{
  g_free (page->role);
  g_free (page);
}

static char *
dup_buffer_text (RolePage *page)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (page->buffer, &start, &end);

  return gtk_text_buffer_get_text (page->buffer, &start, &end, FALSE);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

/* Save is offered for a changed, non-blank prompt (Bedrock rejects an empty system prompt);
 * Reset whenever the page or the store differs from the built-in prompt. */
static void
update_page (SextantRolePromptsWindow *self,
             RolePage                 *page)
{
  const char *builtin = sextant_agent_role_get_default_prompt (page->role);
  g_autofree char *stored = sextant_conversation_store_dup_role_prompt (self->conversations, page->role, NULL);
  g_autofree char *text = dup_buffer_text (page);
  gboolean edited = stored != NULL && g_strcmp0 (stored, builtin) != 0;

  gtk_widget_set_sensitive (page->save, g_strcmp0 (text, stored) != 0 && !is_blank (text));
  gtk_widget_set_sensitive (page->reset, edited || g_strcmp0 (text, builtin) != 0);
  if (g_strcmp0 (text, stored) != 0)
    gtk_label_set_text (GTK_LABEL (page->status), _("Unsaved changes"));
  else if (edited)
    gtk_label_set_text (GTK_LABEL (page->status), _("Your prompt"));
  else
    gtk_label_set_text (GTK_LABEL (page->status), _("Built-in prompt"));
}

static void
load_page (SextantRolePromptsWindow *self,
           RolePage                 *page)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = sextant_conversation_store_dup_role_prompt (self->conversations, page->role, &error);

  if (stored == NULL)
    {
      g_warning ("Could not read the prompt of %s: %s", page->role, error->message);
      stored = g_strdup (sextant_agent_role_get_default_prompt (page->role));
    }
  gtk_text_buffer_set_text (page->buffer, stored, -1);
  update_page (self, page);
}

static void
store_prompt (SextantRolePromptsWindow *self,
              RolePage                 *page,
              const char               *prompt)
{
  g_autoptr(GError) error = NULL;

  if (!sextant_conversation_store_set_role_prompt (self->conversations, page->role, prompt, &error))
    {
      /* Translators: %s says why a prompt could not be saved */
      g_autofree char *message = g_strdup_printf (_("Not saved: %s"), error->message);

      gtk_label_set_text (GTK_LABEL (page->status), message);
      return;
    }
  load_page (self, page);
}

static void
save_clicked_cb (GtkButton                *button,
                 SextantRolePromptsWindow *self)
{
  RolePage *page = g_object_get_data (G_OBJECT (button), "role-page");
  g_autofree char *text = dup_buffer_text (page);

  if (is_blank (text))
    return;
  store_prompt (self, page, g_strcmp0 (text, sextant_agent_role_get_default_prompt (page->role)) == 0 ? NULL : text);
}

static void
reset_clicked_cb (GtkButton                *button,
                  SextantRolePromptsWindow *self)
{
  store_prompt (self, g_object_get_data (G_OBJECT (button), "role-page"), NULL);
}

static void
buffer_changed_cb (GtkTextBuffer            *buffer,
                   SextantRolePromptsWindow *self)
{
  update_page (self, g_object_get_data (G_OBJECT (buffer), "role-page"));
}

static GtkWidget *
make_button (RolePage                 *page,
             const char               *label,
             GCallback                 callback,
             SextantRolePromptsWindow *self)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  g_object_set_data (G_OBJECT (button), "role-page", page);
  g_signal_connect_object (button, "clicked", callback, self, 0);

  return button;
}

static RolePage *
make_page (SextantRolePromptsWindow *self,
           const char               *role,
           const char               *name)
{
  RolePage *page = g_new0 (RolePage, 1);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  /* Translators: the accessible name of a prompt editor; %s is a role */
  g_autofree char *label = g_strdup_printf (_("System prompt of the %s"), name);

  page->role = g_strdup (role);
  page->page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_add_css_class (page->page, "role-prompt-page");
  page->buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  g_object_set_data (G_OBJECT (page->buffer), "role-page", page);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 10);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 10);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_widget_add_css_class (scroller, "card");

  page->status = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (page->status), 0);
  gtk_label_set_wrap (GTK_LABEL (page->status), TRUE);
  gtk_widget_set_hexpand (page->status, TRUE);
  gtk_widget_add_css_class (page->status, "dim-label");
  page->reset = make_button (page, _("_Reset to Default"), G_CALLBACK (reset_clicked_cb), self);
  page->save = make_button (page, _("_Save"), G_CALLBACK (save_clicked_cb), self);
  gtk_widget_add_css_class (page->save, "suggested-action");
  gtk_box_append (GTK_BOX (bar), page->status);
  gtk_box_append (GTK_BOX (bar), page->reset);
  gtk_box_append (GTK_BOX (bar), page->save);

  gtk_box_append (GTK_BOX (page->page), scroller);
  gtk_box_append (GTK_BOX (page->page), bar);
  gtk_stack_add_titled (self->stack, page->page, role, name);
  g_signal_connect_object (page->buffer, "changed", G_CALLBACK (buffer_changed_cb), self, 0);

  return page;
}

static void
sextant_role_prompts_window_constructed (GObject *object)
{
  SextantRolePromptsWindow *self = (SextantRolePromptsWindow *)object;

  G_OBJECT_CLASS (sextant_role_prompts_window_parent_class)->constructed (object);

  g_assert (self->conversations != NULL);
  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    {
      RolePage *page = make_page (self, role_names[i].id, _(role_names[i].name));

      g_ptr_array_add (self->pages, page);
      load_page (self, page);
    }
}

static void
sextant_role_prompts_window_dispose (GObject *object)
{
  SextantRolePromptsWindow *self = (SextantRolePromptsWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), SEXTANT_TYPE_ROLE_PROMPTS_WINDOW);
  g_clear_object (&self->conversations);

  G_OBJECT_CLASS (sextant_role_prompts_window_parent_class)->dispose (object);
}

static void
sextant_role_prompts_window_finalize (GObject *object)
{
  SextantRolePromptsWindow *self = (SextantRolePromptsWindow *)object;

  g_ptr_array_unref (self->pages);

  G_OBJECT_CLASS (sextant_role_prompts_window_parent_class)->finalize (object);
}

static void
sextant_role_prompts_window_set_property (GObject      *object,
                                          guint         prop_id,
                                          const GValue *value,
                                          GParamSpec   *pspec)
{
  SextantRolePromptsWindow *self = SEXTANT_ROLE_PROMPTS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONVERSATIONS:
      self->conversations = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sextant_role_prompts_window_class_init (SextantRolePromptsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sextant_role_prompts_window_constructed;
  object_class->dispose = sextant_role_prompts_window_dispose;
  object_class->finalize = sextant_role_prompts_window_finalize;
  object_class->set_property = sextant_role_prompts_window_set_property;

  properties [PROP_CONVERSATIONS] =
    g_param_spec_object ("conversations", NULL, NULL, SEXTANT_TYPE_CONVERSATION_STORE,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "sextant-role-prompts-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SextantRolePromptsWindow, stack);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sextant_role_prompts_window_init (SextantRolePromptsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) role_page_free);
}

/**
 * sextant_role_prompts_window_new:
 * @conversations: where the prompts are kept
 *
 * Returns: (transfer floating): the editor
 */
SextantRolePromptsWindow *
sextant_role_prompts_window_new (SextantConversationStore *conversations)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_STORE (conversations), NULL);

  return g_object_new (SEXTANT_TYPE_ROLE_PROMPTS_WINDOW, "conversations", conversations, NULL);
}

/**
 * sextant_role_prompts_window_show_role:
 * @self: the editor
 * @role: a role id
 *
 * Shows the page of @role (the chat window opens the editor on the role in use).
 */
void
sextant_role_prompts_window_show_role (SextantRolePromptsWindow *self,
                                       const char               *role)
{
  g_return_if_fail (SEXTANT_IS_ROLE_PROMPTS_WINDOW (self));

  if (sextant_agent_role_is_known (role))
    gtk_stack_set_visible_child_name (self->stack, role);
}

/**
 * sextant_role_prompts_window_get_page:
 * @self: the editor
 * @role: a role id
 *
 * Returns: (transfer none) (nullable): the page of @role: its text view, Save and Reset buttons
 */
GtkWidget *
sextant_role_prompts_window_get_page (SextantRolePromptsWindow *self,
                                      const char               *role)
{
  g_return_val_if_fail (SEXTANT_IS_ROLE_PROMPTS_WINDOW (self), NULL);

  return gtk_stack_get_child_by_name (self->stack, role);
}
