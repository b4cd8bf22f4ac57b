complete --keep-order --exclusive --command sls-rs --arguments "(COMPLETE=fish sls-rs -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"
