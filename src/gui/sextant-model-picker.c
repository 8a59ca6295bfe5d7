#define G_LOG_DOMAIN "sextant-model-picker"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "sextant-model-picker.h"

/* The chat window's one model control: a button showing the model's name, whose popover lists
 * the models by name with their provider, whether the region offers them and their price per
 * million tokens, filtered as the user types; an id, profile id or ARN that is not listed is
 * typed in the same search entry and used with Enter or the “Use …” row. Which models the
 * region offers is asked of Bedrock's catalogue when the list opens (kept per region by the
 * core); without a connection the built-in list is shown, its availability said to be unknown. */

struct _SextantModelPicker
{
  GtkWidget             parent_instance;

  /* template */
  GtkMenuButton        *button;
  GtkLabel             *button_label;
  GtkPopover           *popover;
  GtkSearchEntry       *search_entry;
  GtkLabel             *status_label;
  GtkListBox           *list;
  AdwActionRow         *other_row;

  /* state */
  char                 *model_id;
  char                 *region;
  SextantBedrockClient *client;
  SextantModelPrices   *prices;
  GPtrArray            *listed;          /* SextantBedrockModel: the region's catalogue, or NULL */
  GPtrArray            *shown;           /* SextantBedrockModel: what the rows show */
  GCancellable         *cancellable;
  gboolean              asked;           /* the catalogue was asked for this region and client */
};

enum { PROP_0, PROP_MODEL_ID, N_PROPS };
static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (SextantModelPicker, sextant_model_picker, GTK_TYPE_WIDGET)

static const SextantBedrockModel *
find_shown (SextantModelPicker *self,
            const char         *model_id)
{
  for (guint i = 0; self->shown != NULL && i < self->shown->len; i++)
    {
      const SextantBedrockModel *m = self->shown->pdata[i];

      if (g_strcmp0 (m->id, model_id) == 0)
        return m;
    }

  return NULL;
}

static char *
availability_text (SextantModelPicker *self,
                   const char         *model_id)
{
  const char *region = self->region != NULL ? self->region : "us-east-1";

  switch (sextant_bedrock_model_availability (model_id, region, self->listed))
    {
    case SEXTANT_MODEL_AVAILABLE:
      /* Translators: an AWS region */
      return g_strdup_printf (_("Available in %s"), region);
    case SEXTANT_MODEL_UNAVAILABLE:
      /* Translators: an AWS region */
      return g_strdup_printf (_("Not available in %s"), region);
    case SEXTANT_MODEL_AVAILABILITY_UNKNOWN:
    default:
      /* Translators: an AWS region */
      return g_strdup_printf (_("Availability in %s not checked"), region);
    }
}

static char *
price_text (SextantModelPicker *self,
            const char         *model_id)
{
  double input, output;

  if (self->prices == NULL || !sextant_model_prices_lookup (self->prices, model_id, &input, &output))
    return g_strdup (_("No price set"));

  /* Translators: US dollars per million input tokens, then per million output tokens */
  return g_strdup_printf (_("$%.2f in, $%.2f out per million tokens"), input, output);
}

/**
 * sextant_model_picker_describe:
 * @self: a model picker
 * @model_id: a model id
 *
 * Returns: (transfer full): what the picker's row says of @model_id: its provider, whether the
 *   region offers it and its price, such as “Anthropic · Available in us-east-1 · $3.00 in,
 *   $15.00 out per million tokens”
 */
char *
sextant_model_picker_describe (SextantModelPicker *self,
                               const char         *model_id)
{
  const SextantBedrockModel *m;
  g_autofree char *availability = NULL;
  g_autofree char *price = NULL;

  g_return_val_if_fail (SEXTANT_IS_MODEL_PICKER (self), NULL);
  g_return_val_if_fail (model_id != NULL, NULL);

  m = find_shown (self, model_id);
  availability = availability_text (self, model_id);
  price = price_text (self, model_id);
  if (m == NULL || m->provider == NULL)
    /* Translators: whether the region offers a model typed by id, then its price */
    return g_strdup_printf (_("Custom id · %s · %s"), availability, price);

  /* Translators: a model's provider, whether the region offers it, its price */
  return g_strdup_printf (_("%s · %s · %s"), m->provider, availability, price);
}

static const char *
display_name (SextantModelPicker *self,
              const char         *model_id)
{
  const SextantBedrockModel *m = find_shown (self, model_id);

  return m != NULL && m->name != NULL ? m->name : model_id;
}

static void
update_button (SextantModelPicker *self)
{
  g_autofree char *tooltip = NULL;
  g_autofree char *description = NULL;

  if (self->model_id == NULL)
    {
      gtk_label_set_text (self->button_label, _("Choose a Model"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), NULL);
      return;
    }
  gtk_label_set_text (self->button_label, display_name (self, self->model_id));
  description = sextant_model_picker_describe (self, self->model_id);
  /* Translators: a model id, then its provider, availability and price */
  tooltip = g_strdup_printf (_("Model %s\n%s"), self->model_id, description);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), tooltip);
}

static GtkWidget *
make_row (SextantModelPicker        *self,
          const SextantBedrockModel *m)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");
  g_autofree char *title = g_markup_escape_text (m->name != NULL ? m->name : m->id, -1);
  g_autofree char *subtitle = NULL;
  g_autofree char *escaped = NULL;

  subtitle = sextant_model_picker_describe (self, m->id);
  escaped = g_markup_escape_text (subtitle, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
  gtk_widget_set_tooltip_text (row, m->id);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_visible (check, g_strcmp0 (m->id, self->model_id) == 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Chosen"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
  g_object_set_data_full (G_OBJECT (row), "model-id", g_strdup (m->id), g_free);

  return row;
}

/* Text models that stream and can be called by their id: a base model offered only through an
 * inference profile is left out, its profile is listed. */
static gboolean
is_listable (const SextantBedrockModel *m)
{
  return g_strcmp0 (m->output_modality, "TEXT") == 0 && m->streaming && (m->on_demand || m->is_profile);
}

static SextantBedrockModel *
custom_model (const char *model_id)
{
  SextantBedrockModel *m = g_new0 (SextantBedrockModel, 1);

  m->id = g_strdup (model_id);
  m->name = g_strdup (model_id);
  m->output_modality = g_strdup ("TEXT");
  m->streaming = TRUE;

  return m;
}

/* The region's catalogue when Bedrock listed it, else the built-in list; the chosen model too
 * (typed, or saved with a conversation) when neither has it. */
static void
rebuild (SextantModelPicker *self)
{
  g_autoptr(GPtrArray) source = NULL;
  GtkWidget *child;

  g_clear_pointer (&self->shown, g_ptr_array_unref);
  self->shown = g_ptr_array_new_with_free_func ((GDestroyNotify) sextant_bedrock_model_free);
  source = self->listed != NULL ? g_ptr_array_ref (self->listed)
                                : sextant_bedrock_catalogue_builtin (self->region != NULL ? self->region : "us-east-1");
  for (guint i = 0; i < source->len; i++)
    {
      const SextantBedrockModel *m = source->pdata[i];
      SextantBedrockModel *copy;

      if (!is_listable (m) || find_shown (self, m->id) != NULL)
        continue;
      copy = g_new0 (SextantBedrockModel, 1);
      copy->id = g_strdup (m->id);
      copy->name = g_strdup (m->name);
      copy->provider = g_strdup (m->provider);
      copy->output_modality = g_strdup (m->output_modality);
      copy->streaming = m->streaming;
      copy->is_profile = m->is_profile;
      g_ptr_array_add (self->shown, copy);
    }
  if (self->model_id != NULL && find_shown (self, self->model_id) == NULL)
    g_ptr_array_add (self->shown, custom_model (self->model_id));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL &&
         child != GTK_WIDGET (self->other_row))
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < self->shown->len; i++)
    gtk_list_box_insert (self->list, make_row (self, self->shown->pdata[i]), (int) i);
  gtk_list_box_invalidate_filter (self->list);
  update_button (self);
}

static void
choose (SextantModelPicker *self,
        const char         *model_id)
{
  g_autofree char *id = g_strstrip (g_strdup (model_id));

  if (id[0] == '\0')
    return;
  gtk_popover_popdown (self->popover);
  sextant_model_picker_set_model_id (self, id);
}

/* catalogue --------------------------------------------------------------------------------- */

static void
set_status (SextantModelPicker *self,
            const char         *text)
{
  gtk_label_set_text (self->status_label, text);
}

static void
show_idle_status (SextantModelPicker *self)
{
  g_autofree char *text = NULL;
  const char *region = self->region != NULL ? self->region : "us-east-1";

  if (self->listed != NULL)
    /* Translators: an AWS region */
    text = g_strdup_printf (_("Text models that Amazon Bedrock lists in %s"), region);
  else if (self->client == NULL)
    /* Translators: an AWS region */
    text = g_strdup_printf (_("Built-in list: whether %s offers each model is checked once connected "
                              "to Amazon Bedrock"), region);
  else
    /* Translators: an AWS region */
    text = g_strdup_printf (_("Built-in list: Amazon Bedrock's catalogue of %s could not be read"), region);
  set_status (self, text);
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SextantModelPicker) self = user_data;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  SextantCatalogueSource source = SEXTANT_CATALOGUE_BUILTIN;

  models = sextant_bedrock_catalogue_list_finish (SEXTANT_BEDROCK_CLIENT (object), result, &source, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || SEXTANT_BEDROCK_CLIENT (object) != self->client)
    return;
  g_clear_pointer (&self->listed, g_ptr_array_unref);
  /* The built-in list says nothing of the region: it is not a listing. */
  if (models != NULL && source != SEXTANT_CATALOGUE_BUILTIN)
    self->listed = g_steal_pointer (&models);
  rebuild (self);
  if (error != NULL)
    {
      g_autofree char *text = NULL;

      /* Translators: what Amazon Bedrock said when asked for its models */
      text = g_strdup_printf (_("Built-in list: the catalogue could not be read: %s"), error->message);
      set_status (self, text);
    }
  else
    show_idle_status (self);
}

static void
ask_catalogue (SextantModelPicker *self)
{
  g_autofree char *text = NULL;

  if (self->client == NULL || self->asked)
    return;
  self->asked = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  /* Translators: an AWS region */
  text = g_strdup_printf (_("Asking Amazon Bedrock which models %s offers…"), self->region);
  set_status (self, text);
  sextant_bedrock_catalogue_list_async (self->client, self->cancellable, listed_cb, g_object_ref (self));
}

static void
forget_catalogue (SextantModelPicker *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->listed, g_ptr_array_unref);
  self->asked = FALSE;
  rebuild (self);
  show_idle_status (self);
}

/* callbacks --------------------------------------------------------------------------------- */

static void
popover_show_cb (SextantModelPicker *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  ask_catalogue (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static gboolean
row_matches (GtkListBoxRow *row,
             gpointer       user_data)
{
  SextantModelPicker *self = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  const char *id = g_object_get_data (G_OBJECT (row), "model-id");
  const SextantBedrockModel *m;
  g_autofree char *wanted = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *haystack = NULL;

  if (row == GTK_LIST_BOX_ROW (self->other_row) || text[0] == '\0')
    return TRUE;
  m = find_shown (self, id);
  wanted = g_utf8_casefold (text, -1);
  joined = g_strjoin (" ", id, m != NULL && m->name != NULL ? m->name : "",
                      m != NULL && m->provider != NULL ? m->provider : "", NULL);
  haystack = g_utf8_casefold (joined, -1);

  return strstr (haystack, wanted) != NULL;
}

static guint
count_matches (SextantModelPicker *self,
               const char        **only_id)
{
  guint n = 0;

  *only_id = NULL;
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (row != GTK_WIDGET (self->other_row) && row_matches (GTK_LIST_BOX_ROW (row), self))
      {
        *only_id = g_object_get_data (G_OBJECT (row), "model-id");
        n++;
      }

  return n;
}

static void
search_changed_cb (SextantModelPicker *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autofree char *title = NULL;

  gtk_list_box_invalidate_filter (self->list);
  if (stripped[0] == '\0')
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->other_row), _("Other Model…"));
      adw_action_row_set_subtitle (self->other_row,
                                   _("Type a model id, inference profile id or ARN in the search field"));
      return;
    }
  /* Translators: a model id the user typed */
  title = g_strdup_printf (_("Use “%s”"), stripped);
  {
    g_autofree char *escaped = g_markup_escape_text (title, -1);
    g_autofree char *described = sextant_model_picker_describe (self, stripped);
    g_autofree char *escaped_description = g_markup_escape_text (described, -1);

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->other_row), escaped);
    adw_action_row_set_subtitle (self->other_row, escaped_description);
  }
}

/* Enter: the one model the search leaves, else the text as an id of its own. */
static void
search_activate_cb (SextantModelPicker *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  const char *only_id = NULL;

  if (count_matches (self, &only_id) == 1)
    choose (self, only_id);
  else if (text[0] != '\0' && strchr (text, ' ') == NULL)
    choose (self, text);
}

static void
row_activated_cb (SextantModelPicker *self,
                  GtkListBoxRow      *row)
{
  if (row == GTK_LIST_BOX_ROW (self->other_row))
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

      if (text[0] != '\0')
        choose (self, text);
      else
        gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
      return;
    }
  choose (self, g_object_get_data (G_OBJECT (row), "model-id"));
}

/* public ------------------------------------------------------------------------------------ */

GtkWidget *
sextant_model_picker_new (void)
{
  return g_object_new (SEXTANT_TYPE_MODEL_PICKER, NULL);
}

/**
 * sextant_model_picker_get_model_id:
 *
 * Returns: (nullable): the model id chosen
 */
const char *
sextant_model_picker_get_model_id (SextantModelPicker *self)
{
  g_return_val_if_fail (SEXTANT_IS_MODEL_PICKER (self), NULL);

  return self->model_id;
}

void
sextant_model_picker_set_model_id (SextantModelPicker *self,
                                   const char         *model_id)
{
  g_return_if_fail (SEXTANT_IS_MODEL_PICKER (self));

  if (model_id != NULL && model_id[0] == '\0')
    model_id = NULL;
  if (g_strcmp0 (self->model_id, model_id) == 0)
    return;
  g_free (self->model_id);
  self->model_id = g_strdup (model_id);
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MODEL_ID]);
}

/**
 * sextant_model_picker_set_region:
 * @self: a model picker
 * @region: the region requests are signed for
 *
 * The built-in list is the region's, and its catalogue is asked again when the list opens.
 */
void
sextant_model_picker_set_region (SextantModelPicker *self,
                                 const char         *region)
{
  g_return_if_fail (SEXTANT_IS_MODEL_PICKER (self));

  if (g_strcmp0 (self->region, region) == 0)
    return;
  g_free (self->region);
  self->region = g_strdup (region);
  forget_catalogue (self);
}

/**
 * sextant_model_picker_set_client:
 * @self: a model picker
 * @client: (nullable): the Bedrock client whose region's catalogue the list shows
 */
void
sextant_model_picker_set_client (SextantModelPicker   *self,
                                 SextantBedrockClient *client)
{
  g_return_if_fail (SEXTANT_IS_MODEL_PICKER (self));

  if (self->client == client)
    return;
  g_set_object (&self->client, client);
  if (client != NULL)
    {
      g_free (self->region);
      self->region = g_strdup (sextant_bedrock_client_get_region (client));
    }
  forget_catalogue (self);
  if (client != NULL && gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    ask_catalogue (self);
}

static void
prices_changed_cb (SextantModelPicker *self)
{
  rebuild (self);
}

/**
 * sextant_model_picker_set_prices:
 * @self: a model picker
 * @prices: (nullable): the price table the rows show (the chat window's, which the user edits)
 */
void
sextant_model_picker_set_prices (SextantModelPicker *self,
                                 SextantModelPrices *prices)
{
  g_return_if_fail (SEXTANT_IS_MODEL_PICKER (self));

  if (self->prices == prices)
    return;
  if (self->prices != NULL)
    g_signal_handlers_disconnect_by_data (self->prices, self);
  g_set_object (&self->prices, prices);
  if (prices != NULL)
    g_signal_connect_object (prices, "changed", G_CALLBACK (prices_changed_cb), self, G_CONNECT_SWAPPED);
  rebuild (self);
}

/* GObject ----------------------------------------------------------------------------------- */

static void
sextant_model_picker_dispose (GObject *object)
{
  SextantModelPicker *self = SEXTANT_MODEL_PICKER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->prices != NULL)
    g_signal_handlers_disconnect_by_data (self->prices, self);
  g_clear_object (&self->prices);
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEXTANT_TYPE_MODEL_PICKER);

  G_OBJECT_CLASS (sextant_model_picker_parent_class)->dispose (object);
}

static void
sextant_model_picker_finalize (GObject *object)
{
  SextantModelPicker *self = SEXTANT_MODEL_PICKER (object);

  g_clear_pointer (&self->listed, g_ptr_array_unref);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_free (self->model_id);
  g_free (self->region);

  G_OBJECT_CLASS (sextant_model_picker_parent_class)->finalize (object);
}

static void
sextant_model_picker_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SextantModelPicker *self = SEXTANT_MODEL_PICKER (object);

  switch (prop_id)
    {
    case PROP_MODEL_ID:
      g_value_set_string (value, self->model_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sextant_model_picker_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  SextantModelPicker *self = SEXTANT_MODEL_PICKER (object);

  switch (prop_id)
    {
    case PROP_MODEL_ID:
      sextant_model_picker_set_model_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sextant_model_picker_class_init (SextantModelPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sextant_model_picker_dispose;
  object_class->finalize = sextant_model_picker_finalize;
  object_class->get_property = sextant_model_picker_get_property;
  object_class->set_property = sextant_model_picker_set_property;

  properties [PROP_MODEL_ID] = g_param_spec_string ("model-id", NULL, NULL, NULL,
                                                    (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                                     G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "sextant-model-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, SextantModelPicker, button);
  gtk_widget_class_bind_template_child (widget_class, SextantModelPicker, button_label);
  gtk_widget_class_bind_template_child (widget_class, SextantModelPicker, popover);
  gtk_widget_class_bind_template_child (widget_class, SextantModelPicker, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SextantModelPicker, status_label);
  gtk_widget_class_bind_template_child (widget_class, SextantModelPicker, list);
  gtk_widget_class_bind_template_child (widget_class, SextantModelPicker, other_row);
  gtk_widget_class_bind_template_callback (widget_class, popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sextant_model_picker_init (SextantModelPicker *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_filter_func (self->list, row_matches, self, NULL);
  search_changed_cb (self);
  rebuild (self);
  show_idle_status (self);
}
