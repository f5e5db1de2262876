"""Building what students receive: tools that use the reference and never ship."""
