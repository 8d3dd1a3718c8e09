from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """``{{ row|get:"2T" }}``: a dictionary value whose key is not a valid template variable name."""
    return mapping.get(key, "") if hasattr(mapping, "get") else ""
