"""The wire models of the portal API (SPEC §5): the contract shared by client and sandbox.

One module per resource so a command imports only the models it needs. Response models
ignore unknown fields (the server may add some); request models forbid them (a typo is a 422).
"""
