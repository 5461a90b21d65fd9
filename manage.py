#!/usr/bin/env python
"""Django's command-line utility for the incubator platform."""
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "incubator.settings")
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    from incubator.embedded import make_embedded_dirs

    make_embedded_dirs()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
