#!/bin/sh
# tests/data/alert-command.sh — the alert_command of check_alertweb:
# appends the event JSON it gets on stdin to the file named by $1.
cat >> "$1"
