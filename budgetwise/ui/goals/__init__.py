"""The Goals page's sections (issue #15): pages/goals.py is a shell over them."""
