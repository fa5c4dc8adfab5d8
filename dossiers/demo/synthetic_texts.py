"""What the synthetic dossiers say: their products and livelihoods, summaries and results, the
reasons for refusals, supplements, withdrawals, stops and apologies, the applicants' questions and
the replies. ``dossiers.demo.synthetic_plan`` draws from them.
"""

PRODUCTS = (
    "kẹo dừa",
    "bánh tráng",
    "bánh phồng",
    "thạch dừa",
    "chỉ xơ dừa",
    "mỹ nghệ gáo dừa",
    "bonsai",
    "hoa kiểng",
    "cây giống",
    "bưởi da xanh",
    "sầu riêng",
    "chôm chôm",
    "măng cụt",
    "nghêu",
    "tôm sú",
    "cua biển",
    "cá khô",
    "nước mắm",
    "mật ong",
    "rượu dừa",
)
LIVELIHOODS = (
    "nuôi bò sinh sản",
    "nuôi dê thịt",
    "nuôi gà thả vườn",
    "trồng bưởi da xanh",
    "nuôi cua biển",
    "làm bánh phồng",
    "trồng rau sạch",
    "nuôi ong lấy mật",
)
SUMMARIES = {
    "startup": (
        "Hỗ trợ phát triển sản phẩm {product} và đưa lên sàn thương mại điện tử.",
        "Hỗ trợ xây dựng nhãn hiệu và bao bì cho {product}.",
        "Hỗ trợ kết nối tiêu thụ {product} với siêu thị.",
    ),
    "loan": ("Vay vốn mở rộng sản xuất {product}.", "Vay vốn mua máy móc chế biến {product}."),
    "conversion": ("Chuyển hộ kinh doanh {product} lên doanh nghiệp.",),
    "poverty": ("Đăng ký {livelihood} để thoát nghèo.",),
}
RESULTS = {
    "startup": "Đồng ý hỗ trợ tư vấn, kết nối và kinh phí theo chính sách của tỉnh.",
    "loan": "Quỹ đồng ý cho vay {amount} ₫, thời hạn {months} tháng.",
    "conversion": "Được cấp Giấy chứng nhận đăng ký doanh nghiệp, miễn lệ phí đăng ký lần đầu.",
    "poverty": "Được hỗ trợ lập kế hoạch sản xuất và kết nối vay vốn Ngân hàng Chính sách xã hội.",
}
REFUSALS = (
    "Hồ sơ chưa đúng đối tượng hỗ trợ.",
    "Hộ kinh doanh chưa hoạt động đủ 1 năm.",
    "Đơn đề nghị chưa ký, chưa ghi ngày.",
)
SUPPLEMENT_NOTES = (
    "Bản chụp không rõ nét; nộp lại bản rõ nét.",
    "Giấy tờ đã hết hạn; nộp bản còn hiệu lực.",
    "Phương án chưa có kế hoạch tài chính; bổ sung dự tính doanh thu, chi phí.",
)
WITHDRAWALS = ("Không còn nhu cầu.", "Gia đình quyết định giữ mô hình hộ kinh doanh.")
STOPS = ("Không liên lạc được người đề nghị.", "Người đề nghị không bổ sung hồ sơ trong thời hạn.")
APOLOGIES = ("Chờ ý kiến của cơ quan chuyên môn.", "Chờ Hội đồng xét duyệt họp.")
QUESTIONS = ("Hồ sơ của tôi đang ở bước nào?", "Tôi cần bổ sung thêm giấy tờ gì?", "Khi nào có kết quả?")
REPLIES = ("Hồ sơ đang được thẩm định, sẽ có kết quả đúng hẹn.", "Hồ sơ đã đủ, không cần bổ sung thêm.")
