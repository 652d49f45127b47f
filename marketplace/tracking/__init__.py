"""Government-purchased services: contracts, live KPIs, evaluation, payment, exports."""
