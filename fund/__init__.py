"""The startup investment fund: regulations, capital sources, loan applications, appraisal, decisions,
disbursements, repayments and the ledger.
"""
