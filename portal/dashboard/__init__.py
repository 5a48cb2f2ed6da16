"""The compliance dashboard: every registered indicator for every daycare of a
municipality, its drill-downs, trends from the nightly snapshots, and exports.

It reads only the indicator registry (core/indicators.py), so an indicator an app
registers appears here without any change to this package.
"""
