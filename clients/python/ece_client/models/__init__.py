"""Contains all the data models used in inputs/outputs"""

from .accept_in import AcceptIn
from .activity import Activity
from .activity_out import ActivityOut
from .activity_page import ActivityPage
from .activity_type import ActivityType
from .api_key_created import ApiKeyCreated
from .api_key_in import ApiKeyIn
from .api_key_out import ApiKeyOut
from .api_key_scope import ApiKeyScope
from .asset import Asset
from .asset_check_out import AssetCheckOut
from .asset_out import AssetOut
from .asset_reconciliation_out import AssetReconciliationOut
from .attempt_out import AttemptOut
from .auction_in import AuctionIn
from .auction_kind import AuctionKind
from .auction_out import AuctionOut
from .auction_out_result_type_0 import AuctionOutResultType0
from .auction_page import AuctionPage
from .auction_sort import AuctionSort
from .auction_state import AuctionState
from .auction_status import AuctionStatus
from .audit_entry_out import AuditEntryOut
from .audit_entry_out_details import AuditEntryOutDetails
from .audit_page import AuditPage
from .audit_verify_out import AuditVerifyOut
from .balance_out import BalanceOut
from .balances_out import BalancesOut
from .batch_item_error import BatchItemError
from .batch_mode import BatchMode
from .batch_out import BatchOut
from .batch_page import BatchPage
from .battle_entry_out import BattleEntryOut
from .battle_in import BattleIn
from .battle_out import BattleOut
from .battle_out_sides import BattleOutSides
from .battle_page import BattlePage
from .battle_payout_out import BattlePayoutOut
from .battle_summary_out import BattleSummaryOut
from .best_offers_out import BestOffersOut
from .bid_in import BidIn
from .bid_out import BidOut
from .bid_out_status import BidOutStatus
from .box import Box
from .buy_in import BuyIn
from .candle_out import CandleOut
from .candles_out import CandlesOut
from .card_attributes import CardAttributes
from .card_batch_in import CardBatchIn
from .card_batch_out import CardBatchOut
from .card_event_out import CardEventOut
from .card_event_page import CardEventPage
from .card_in import CardIn
from .card_last_sale_out import CardLastSaleOut
from .card_out import CardOut
from .card_page import CardPage
from .card_reconciliation_out import CardReconciliationOut
from .card_sort import CardSort
from .card_status import CardStatus
from .catalog_facets_out import CatalogFacetsOut
from .catalog_facets_out_stats_type_0 import CatalogFacetsOutStatsType0
from .chain_out import ChainOut
from .chain_out_assets import ChainOutAssets
from .challenge_in import ChallengeIn
from .challenge_out import ChallengeOut
from .channel import Channel
from .check_out import CheckOut
from .check_page import CheckPage
from .collector_preferences import CollectorPreferences
from .collector_preferences_theme import CollectorPreferencesTheme
from .collector_profile_out import CollectorProfileOut
from .company_in import CompanyIn
from .company_out import CompanyOut
from .company_page import CompanyPage
from .company_patch import CompanyPatch
from .company_ref import CompanyRef
from .company_stats_out import CompanyStatsOut
from .company_stats_out_best_offer import CompanyStatsOutBestOffer
from .company_stats_out_change_24h import CompanyStatsOutChange24H
from .company_stats_out_floor import CompanyStatsOutFloor
from .company_stats_out_volume_7d import CompanyStatsOutVolume7D
from .company_stats_out_volume_24h import CompanyStatsOutVolume24H
from .company_summary_out import CompanySummaryOut
from .company_summary_out_floor import CompanySummaryOutFloor
from .company_summary_out_volume_7d import CompanySummaryOutVolume7D
from .company_summary_out_volume_24h import CompanySummaryOutVolume24H
from .condition import Condition
from .cost_basis_out import CostBasisOut
from .counter_in import CounterIn
from .custody_card_credit_in import CustodyCardCreditIn
from .custody_card_credit_out import CustodyCardCreditOut
from .delivery_out import DeliveryOut
from .delivery_out_status import DeliveryOutStatus
from .delivery_page import DeliveryPage
from .denylist_in import DenylistIn
from .denylist_out import DenylistOut
from .denylist_page import DenylistPage
from .deposit_in import DepositIn
from .deposit_out import DepositOut
from .deposit_page import DepositPage
from .deposit_qr_kind import DepositQrKind
from .enter_in import EnterIn
from .entry_out import EntryOut
from .entry_out_status import EntryOutStatus
from .entry_page import EntryPage
from .export_me_format import ExportMeFormat
from .facet_bucket_out import FacetBucketOut
from .faucet_in import FaucetIn
from .faucet_in_asset import FaucetInAsset
from .faucet_out import FaucetOut
from .flag_out import FlagOut
from .flag_page import FlagPage
from .healthz_response_healthz import HealthzResponseHealthz
from .interval import Interval
from .invalid_param import InvalidParam
from .kind import Kind
from .kyb_in import KybIn
from .kyb_out import KybOut
from .kyb_page import KybPage
from .kyb_status import KybStatus
from .kyc_decision import KycDecision
from .kyc_decision_in import KycDecisionIn
from .kyc_in import KycIn
from .kyc_out import KycOut
from .kyc_page import KycPage
from .kyc_status import KycStatus
from .last_sale_out import LastSaleOut
from .ledger_check_out import LedgerCheckOut
from .level import Level
from .listing_batch_in import ListingBatchIn
from .listing_batch_item_out import ListingBatchItemOut
from .listing_batch_out import ListingBatchOut
from .listing_cancel_batch_in import ListingCancelBatchIn
from .listing_cancel_batch_item_out import ListingCancelBatchItemOut
from .listing_cancel_batch_out import ListingCancelBatchOut
from .listing_in import ListingIn
from .listing_out import ListingOut
from .listing_page import ListingPage
from .listing_patch import ListingPatch
from .listing_sort import ListingSort
from .listing_status import ListingStatus
from .login_in import LoginIn
from .login_out import LoginOut
from .mark_read_in import MarkReadIn
from .marked_out import MarkedOut
from .market_summary_out import MarketSummaryOut
from .masked_personal_data import MaskedPersonalData
from .me_out import MeOut
from .multisig_out import MultisigOut
from .my_bid_out import MyBidOut
from .my_bid_page import MyBidPage
from .notification_out import NotificationOut
from .notification_out_data import NotificationOutData
from .notification_page import NotificationPage
from .offer_filter_in import OfferFilterIn
from .offer_filter_out import OfferFilterOut
from .offer_in import OfferIn
from .offer_kind import OfferKind
from .offer_out import OfferOut
from .offer_page import OfferPage
from .offer_party import OfferParty
from .offer_status import OfferStatus
from .override_in import OverrideIn
from .override_in_currency import OverrideInCurrency
from .override_out import OverrideOut
from .override_page import OverridePage
from .override_status import OverrideStatus
from .owner_kind import OwnerKind
from .owner_out import OwnerOut
from .party import Party
from .party_out import PartyOut
from .pause_in import PauseIn
from .pause_out import PauseOut
from .pay_link_in import PayLinkIn
from .pay_link_out import PayLinkOut
from .payable_out import PayableOut
from .payment_asset import PaymentAsset
from .payout_out import PayoutOut
from .payout_transaction_out import PayoutTransactionOut
from .personal_data_export import PersonalDataExport
from .personal_data_export_tables import PersonalDataExportTables
from .personal_data_export_tables_additional_property_item import PersonalDataExportTablesAdditionalPropertyItem
from .phase import Phase
from .portfolio_card_out import PortfolioCardOut
from .portfolio_history_out import PortfolioHistoryOut
from .portfolio_item_out import PortfolioItemOut
from .portfolio_out import PortfolioOut
from .portfolio_out_totals import PortfolioOutTotals
from .portfolio_point_out import PortfolioPointOut
from .portfolio_totals_out import PortfolioTotalsOut
from .preference_in import PreferenceIn
from .preference_out import PreferenceOut
from .preferences_in import PreferencesIn
from .preferences_out import PreferencesOut
from .price_alert_in import PriceAlertIn
from .price_alert_list import PriceAlertList
from .price_alert_out import PriceAlertOut
from .price_bucket_out import PriceBucketOut
from .price_out import PriceOut
from .problem import Problem
from .profile_in import ProfileIn
from .profile_sale_out import ProfileSaleOut
from .proof_out import ProofOut
from .proof_out_terms import ProofOutTerms
from .public_bid_out import PublicBidOut
from .public_bid_page import PublicBidPage
from .push_config_out import PushConfigOut
from .push_keys_in import PushKeysIn
from .push_subscription_in import PushSubscriptionIn
from .push_subscription_out import PushSubscriptionOut
from .quote_out import QuoteOut
from .quote_side import QuoteSide
from .rarity import Rarity
from .reason_out import ReasonOut
from .receipt_out import ReceiptOut
from .receipt_outcome import ReceiptOutcome
from .receipt_page import ReceiptPage
from .reconciliation_out import ReconciliationOut
from .resolution import Resolution
from .result_out import ResultOut
from .result_out_deal_factors import ResultOutDealFactors
from .result_out_scores import ResultOutScores
from .resume_in import ResumeIn
from .resume_out import ResumeOut
from .review_decision_in import ReviewDecisionIn
from .review_decision_in_decision import ReviewDecisionInDecision
from .review_out import ReviewOut
from .review_page import ReviewPage
from .review_status import ReviewStatus
from .role import Role
from .roles_in import RolesIn
from .scope import Scope
from .side import Side
from .side_out import SideOut
from .side_value_out import SideValueOut
from .side_value_out_unpriced_cards import SideValueOutUnpricedCards
from .sign_in_account_in import SignInAccountIn
from .sign_in_input_out import SignInInputOut
from .sign_in_output_in import SignInOutputIn
from .signature_in import SignatureIn
from .signature_out import SignatureOut
from .skipped_out import SkippedOut
from .staked_card_out import StakedCardOut
from .stat_range_out import StatRangeOut
from .statement_line_out import StatementLineOut
from .statement_out import StatementOut
from .status_out import StatusOut
from .subject_type import SubjectType
from .suggestion_list import SuggestionList
from .suggestion_out import SuggestionOut
from .summary_out import SummaryOut
from .summary_out_custody import SummaryOutCustody
from .summary_out_revenue import SummaryOutRevenue
from .sweep_in import SweepIn
from .sweep_mode import SweepMode
from .sweep_out import SweepOut
from .trade_detail_out import TradeDetailOut
from .trade_offer_in import TradeOfferIn
from .trade_offer_out import TradeOfferOut
from .trade_offer_page import TradeOfferPage
from .trade_out import TradeOut
from .trade_side_in import TradeSideIn
from .trade_side_out import TradeSideOut
from .trade_status import TradeStatus
from .transaction_request_in import TransactionRequestIn
from .transaction_request_out import TransactionRequestOut
from .unclaimed_out import UnclaimedOut
from .unclaimed_page import UnclaimedPage
from .unclaimed_resolve_in import UnclaimedResolveIn
from .unclaimed_status import UnclaimedStatus
from .user_out import UserOut
from .user_page import UserPage
from .value_hint_out import ValueHintOut
from .via import Via
from .vote_in import VoteIn
from .vote_out import VoteOut
from .watchlist_in import WatchlistIn
from .watchlist_item_out import WatchlistItemOut
from .watchlist_out import WatchlistOut
from .webhook_created import WebhookCreated
from .webhook_in import WebhookIn
from .webhook_out import WebhookOut
from .withdrawal_in import WithdrawalIn
from .withdrawal_out import WithdrawalOut
from .withdrawal_page import WithdrawalPage

__all__ = (
    "AcceptIn",
    "Activity",
    "ActivityOut",
    "ActivityPage",
    "ActivityType",
    "ApiKeyCreated",
    "ApiKeyIn",
    "ApiKeyOut",
    "ApiKeyScope",
    "Asset",
    "AssetCheckOut",
    "AssetOut",
    "AssetReconciliationOut",
    "AttemptOut",
    "AuctionIn",
    "AuctionKind",
    "AuctionOut",
    "AuctionOutResultType0",
    "AuctionPage",
    "AuctionSort",
    "AuctionState",
    "AuctionStatus",
    "AuditEntryOut",
    "AuditEntryOutDetails",
    "AuditPage",
    "AuditVerifyOut",
    "BalanceOut",
    "BalancesOut",
    "BatchItemError",
    "BatchMode",
    "BatchOut",
    "BatchPage",
    "BattleEntryOut",
    "BattleIn",
    "BattleOut",
    "BattleOutSides",
    "BattlePage",
    "BattlePayoutOut",
    "BattleSummaryOut",
    "BestOffersOut",
    "BidIn",
    "BidOut",
    "BidOutStatus",
    "Box",
    "BuyIn",
    "CandleOut",
    "CandlesOut",
    "CardAttributes",
    "CardBatchIn",
    "CardBatchOut",
    "CardEventOut",
    "CardEventPage",
    "CardIn",
    "CardLastSaleOut",
    "CardOut",
    "CardPage",
    "CardReconciliationOut",
    "CardSort",
    "CardStatus",
    "CatalogFacetsOut",
    "CatalogFacetsOutStatsType0",
    "ChainOut",
    "ChainOutAssets",
    "ChallengeIn",
    "ChallengeOut",
    "Channel",
    "CheckOut",
    "CheckPage",
    "CollectorPreferences",
    "CollectorPreferencesTheme",
    "CollectorProfileOut",
    "CompanyIn",
    "CompanyOut",
    "CompanyPage",
    "CompanyPatch",
    "CompanyRef",
    "CompanyStatsOut",
    "CompanyStatsOutBestOffer",
    "CompanyStatsOutChange24H",
    "CompanyStatsOutFloor",
    "CompanyStatsOutVolume24H",
    "CompanyStatsOutVolume7D",
    "CompanySummaryOut",
    "CompanySummaryOutFloor",
    "CompanySummaryOutVolume24H",
    "CompanySummaryOutVolume7D",
    "Condition",
    "CostBasisOut",
    "CounterIn",
    "CustodyCardCreditIn",
    "CustodyCardCreditOut",
    "DeliveryOut",
    "DeliveryOutStatus",
    "DeliveryPage",
    "DenylistIn",
    "DenylistOut",
    "DenylistPage",
    "DepositIn",
    "DepositOut",
    "DepositPage",
    "DepositQrKind",
    "EnterIn",
    "EntryOut",
    "EntryOutStatus",
    "EntryPage",
    "ExportMeFormat",
    "FacetBucketOut",
    "FaucetIn",
    "FaucetInAsset",
    "FaucetOut",
    "FlagOut",
    "FlagPage",
    "HealthzResponseHealthz",
    "Interval",
    "InvalidParam",
    "Kind",
    "KybIn",
    "KybOut",
    "KybPage",
    "KybStatus",
    "KycDecision",
    "KycDecisionIn",
    "KycIn",
    "KycOut",
    "KycPage",
    "KycStatus",
    "LastSaleOut",
    "LedgerCheckOut",
    "Level",
    "ListingBatchIn",
    "ListingBatchItemOut",
    "ListingBatchOut",
    "ListingCancelBatchIn",
    "ListingCancelBatchItemOut",
    "ListingCancelBatchOut",
    "ListingIn",
    "ListingOut",
    "ListingPage",
    "ListingPatch",
    "ListingSort",
    "ListingStatus",
    "LoginIn",
    "LoginOut",
    "MarkedOut",
    "MarketSummaryOut",
    "MarkReadIn",
    "MaskedPersonalData",
    "MeOut",
    "MultisigOut",
    "MyBidOut",
    "MyBidPage",
    "NotificationOut",
    "NotificationOutData",
    "NotificationPage",
    "OfferFilterIn",
    "OfferFilterOut",
    "OfferIn",
    "OfferKind",
    "OfferOut",
    "OfferPage",
    "OfferParty",
    "OfferStatus",
    "OverrideIn",
    "OverrideInCurrency",
    "OverrideOut",
    "OverridePage",
    "OverrideStatus",
    "OwnerKind",
    "OwnerOut",
    "Party",
    "PartyOut",
    "PauseIn",
    "PauseOut",
    "PayableOut",
    "PayLinkIn",
    "PayLinkOut",
    "PaymentAsset",
    "PayoutOut",
    "PayoutTransactionOut",
    "PersonalDataExport",
    "PersonalDataExportTables",
    "PersonalDataExportTablesAdditionalPropertyItem",
    "Phase",
    "PortfolioCardOut",
    "PortfolioHistoryOut",
    "PortfolioItemOut",
    "PortfolioOut",
    "PortfolioOutTotals",
    "PortfolioPointOut",
    "PortfolioTotalsOut",
    "PreferenceIn",
    "PreferenceOut",
    "PreferencesIn",
    "PreferencesOut",
    "PriceAlertIn",
    "PriceAlertList",
    "PriceAlertOut",
    "PriceBucketOut",
    "PriceOut",
    "Problem",
    "ProfileIn",
    "ProfileSaleOut",
    "ProofOut",
    "ProofOutTerms",
    "PublicBidOut",
    "PublicBidPage",
    "PushConfigOut",
    "PushKeysIn",
    "PushSubscriptionIn",
    "PushSubscriptionOut",
    "QuoteOut",
    "QuoteSide",
    "Rarity",
    "ReasonOut",
    "ReceiptOut",
    "ReceiptOutcome",
    "ReceiptPage",
    "ReconciliationOut",
    "Resolution",
    "ResultOut",
    "ResultOutDealFactors",
    "ResultOutScores",
    "ResumeIn",
    "ResumeOut",
    "ReviewDecisionIn",
    "ReviewDecisionInDecision",
    "ReviewOut",
    "ReviewPage",
    "ReviewStatus",
    "Role",
    "RolesIn",
    "Scope",
    "Side",
    "SideOut",
    "SideValueOut",
    "SideValueOutUnpricedCards",
    "SignatureIn",
    "SignatureOut",
    "SignInAccountIn",
    "SignInInputOut",
    "SignInOutputIn",
    "SkippedOut",
    "StakedCardOut",
    "StatementLineOut",
    "StatementOut",
    "StatRangeOut",
    "StatusOut",
    "SubjectType",
    "SuggestionList",
    "SuggestionOut",
    "SummaryOut",
    "SummaryOutCustody",
    "SummaryOutRevenue",
    "SweepIn",
    "SweepMode",
    "SweepOut",
    "TradeDetailOut",
    "TradeOfferIn",
    "TradeOfferOut",
    "TradeOfferPage",
    "TradeOut",
    "TradeSideIn",
    "TradeSideOut",
    "TradeStatus",
    "TransactionRequestIn",
    "TransactionRequestOut",
    "UnclaimedOut",
    "UnclaimedPage",
    "UnclaimedResolveIn",
    "UnclaimedStatus",
    "UserOut",
    "UserPage",
    "ValueHintOut",
    "Via",
    "VoteIn",
    "VoteOut",
    "WatchlistIn",
    "WatchlistItemOut",
    "WatchlistOut",
    "WebhookCreated",
    "WebhookIn",
    "WebhookOut",
    "WithdrawalIn",
    "WithdrawalOut",
    "WithdrawalPage",
)
