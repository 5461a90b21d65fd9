"""Every write about letters, one module per concern:

transitions  the state machine: the one function that changes a letter's status
letters      drafts, submission, review actions, decisions, messages, attachments
routing      routing rules, picking a queue and a reviewer, the dry run
sla          the working-hours clock, escalation and warnings
"""
