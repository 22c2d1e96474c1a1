"""Signal receivers of the public library (connected in `PracticesConfig.ready`)."""
