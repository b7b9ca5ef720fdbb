"""One module per `crm` subcommand; each provides `register(subparsers, common)`."""
