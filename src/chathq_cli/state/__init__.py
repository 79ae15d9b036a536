"""What portal keeps on this machine: settings and profiles (config.toml), credentials
(the keyring, or the opt-in plain-text file), and the shell-completion cache."""
