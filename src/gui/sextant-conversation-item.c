#define G_LOG_DOMAIN "sextant-conversation-item"

#include "config.h"

#include <glib/gi18n.h>

#include "sextant-date-format.h"
#include "sextant-conversation-item.h"

/* A conversation in the chat window's sidebar: its title and a line under it, either when it
 * was last used and how long it is, or, for a search hit, the matching snippet with its terms in
 * bold. Items are kept and updated in place, so the sidebar's list view redraws one row when a
 * turn ends instead of rebuilding a row per stored conversation (a quarter of a second for 300
 * of them, measured in bench-chat-stream before the sidebar became a list view). */

struct _SextantConversationItem
{
  GObject   parent_instance;
  gint64    id;
  gint64    updated_at;   /* for the order of the list, newest first */
  gboolean  pinned;       /* pinned ones come first, and never expire */
  char     *title;
  char     *subtitle;
  gboolean  use_markup;
};

enum { PROP_0, PROP_ID, PROP_TITLE, PROP_SUBTITLE, PROP_USE_MARKUP, PROP_PINNED, N_PROPS };

static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (SextantConversationItem, sextant_conversation_item, G_TYPE_OBJECT)

static void
sextant_conversation_item_finalize (GObject *object)
{
  SextantConversationItem *self = (SextantConversationItem *)object;

  g_free (self->title);
  g_free (self->subtitle);

  G_OBJECT_CLASS (sextant_conversation_item_parent_class)->finalize (object);
}

static void
sextant_conversation_item_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  SextantConversationItem *self = SEXTANT_CONVERSATION_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_SUBTITLE:
      g_value_set_string (value, self->subtitle);
      break;

    case PROP_USE_MARKUP:
      g_value_set_boolean (value, self->use_markup);
      break;

    case PROP_PINNED:
      g_value_set_boolean (value, self->pinned);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sextant_conversation_item_class_init (SextantConversationItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sextant_conversation_item_finalize;
  object_class->get_property = sextant_conversation_item_get_property;

  properties [PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                                             (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties [PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL,
                                                 (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  /* Plain text, or Pango markup when use-markup is set. */
  properties [PROP_SUBTITLE] = g_param_spec_string ("subtitle", NULL, NULL, NULL,
                                                    (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties [PROP_USE_MARKUP] = g_param_spec_boolean ("use-markup", NULL, NULL, FALSE,
                                                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties [PROP_PINNED] = g_param_spec_boolean ("pinned", NULL, NULL, FALSE,
                                                   (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                    G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sextant_conversation_item_init (SextantConversationItem *self)
{
}

static char *
describe_info (const SextantConversationInfo *info)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (info->updated_at / G_USEC_PER_SEC);
  g_autofree char *date = sextant_format_date_time (when, NULL);

  /* Translators: a conversation in the sidebar: date, number of messages */
  /* xgettext cannot see through G_GINT64_FORMAT, and no sidebar shows two billion messages. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %d message", "%s · %d messages",
                                       (gulong) info->n_messages),
                          date, (int) MIN (info->n_messages, G_MAXINT));
}

static void
set_string (SextantConversationItem  *self,
            char                    **field,
            const char               *value,
            GParamSpec               *pspec)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

/**
 * sextant_conversation_item_new_for_info:
 * @info: a stored conversation
 *
 * Returns: (transfer full): an item showing when @info was last used and how long it is
 */
SextantConversationItem *
sextant_conversation_item_new_for_info (const SextantConversationInfo *info)
{
  SextantConversationItem *self;

  g_return_val_if_fail (info != NULL, NULL);

  self = g_object_new (SEXTANT_TYPE_CONVERSATION_ITEM, NULL);
  self->id = info->id;
  self->updated_at = info->updated_at;
  self->pinned = info->pinned;
  self->title = g_strdup (info->title);
  self->subtitle = describe_info (info);

  return self;
}

/**
 * sextant_conversation_item_new_for_hit:
 * @id: the conversation's id
 * @title: its title, plain text
 * @snippet_markup: the matching text as Pango markup
 *
 * Returns: (transfer full): an item for a search hit
 */
SextantConversationItem *
sextant_conversation_item_new_for_hit (gint64      id,
                                       const char *title,
                                       const char *snippet_markup)
{
  SextantConversationItem *self;

  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (snippet_markup != NULL, NULL);

  self = g_object_new (SEXTANT_TYPE_CONVERSATION_ITEM, NULL);
  self->id = id;
  self->title = g_strdup (title);
  self->subtitle = g_strdup (snippet_markup);
  self->use_markup = TRUE;

  return self;
}

gint64
sextant_conversation_item_get_id (SextantConversationItem *self)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_ITEM (self), 0);

  return self->id;
}

const char *
sextant_conversation_item_get_title (SextantConversationItem *self)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_ITEM (self), NULL);

  return self->title;
}

void
sextant_conversation_item_set_title (SextantConversationItem *self,
                                     const char              *title)
{
  g_return_if_fail (SEXTANT_IS_CONVERSATION_ITEM (self));
  g_return_if_fail (title != NULL);

  set_string (self, &self->title, title, properties [PROP_TITLE]);
}

const char *
sextant_conversation_item_get_subtitle (SextantConversationItem *self)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_ITEM (self), NULL);

  return self->subtitle;
}

gboolean
sextant_conversation_item_get_pinned (SextantConversationItem *self)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_ITEM (self), FALSE);

  return self->pinned;
}

gboolean
sextant_conversation_item_get_use_markup (SextantConversationItem *self)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSATION_ITEM (self), FALSE);

  return self->use_markup;
}

/**
 * sextant_conversation_item_update:
 * @self: an item made by sextant_conversation_item_new_for_info()
 * @info: the same conversation as stored now
 *
 * Shows @info's title, date and length; notifies only what changed, so a row is laid out again
 * only when its text did.
 */
void
sextant_conversation_item_update (SextantConversationItem       *self,
                                  const SextantConversationInfo *info)
{
  g_autofree char *subtitle = NULL;

  g_return_if_fail (SEXTANT_IS_CONVERSATION_ITEM (self));
  g_return_if_fail (info != NULL && info->id == self->id);
  g_return_if_fail (!self->use_markup);

  subtitle = describe_info (info);
  self->updated_at = info->updated_at;
  if (self->pinned != info->pinned)
    {
      self->pinned = info->pinned;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PINNED]);
    }
  set_string (self, &self->title, info->title, properties [PROP_TITLE]);
  set_string (self, &self->subtitle, subtitle, properties [PROP_SUBTITLE]);
}

/**
 * sextant_conversation_item_compare:
 * @a: a #SextantConversationItem
 * @b: another
 * @user_data: unused
 *
 * The sidebar's order: pinned conversations first, then as sextant_conversation_store_list()
 * lists them, the most recently updated first, then the newest; a #GCompareDataFunc for
 * g_list_store_insert_sorted().
 *
 * Returns: negative when @a comes first
 */
int
sextant_conversation_item_compare (gconstpointer a,
                                   gconstpointer b,
                                   gpointer      user_data)
{
  const SextantConversationItem *x = a, *y = b;

  if (x->pinned != y->pinned)
    return x->pinned ? -1 : 1;
  if (x->updated_at != y->updated_at)
    return x->updated_at > y->updated_at ? -1 : 1;

  return (x->id < y->id) - (x->id > y->id);
}

/**
 * sextant_conversation_items_find:
 * @items: a #GListModel of #SextantConversationItem
 * @id: a conversation id
 * @position: (out) (optional): where its item is
 *
 * Returns: whether @items shows conversation @id
 */
gboolean
sextant_conversation_items_find (GListModel *items,
                                 gint64      id,
                                 guint      *position)
{
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (items), FALSE);

  n = g_list_model_get_n_items (items);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SextantConversationItem) item = g_list_model_get_item (items, i);

      if (item->id == id)
        {
          if (position != NULL)
            *position = i;
          return TRUE;
        }
    }

  return FALSE;
}
