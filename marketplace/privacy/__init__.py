"""Personal data: masking, protected storage of ID numbers, audited reveals, consent."""
