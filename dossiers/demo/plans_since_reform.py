"""The plans of the demo's dossiers filed since the 1 July 2025 reform, at the current communes.

They cover every status and channel: received, asked for supplements, decided, returned and rated,
refused at the desk, withdrawn, stopped, some late and apologised for, with inquiries answered and
one escalated. The demo applicant ``nguoinop`` (``DUYEN``) has three of them. ``Plan`` and ``Step``
are in ``dossiers.demo.plans``.
"""

import datetime

from dossiers.demo.people import (
    DIEM,
    DUYEN,
    HAN,
    HAU,
    KHANG,
    KIM_LOAN,
    LINH,
    LOC,
    NAM,
    NGHIA,
    PHUC,
    QUANG,
    TAI,
    THANG,
    THAO,
    TRAM,
    TRANG,
    TRI,
    TUYET,
    YEN,
)
from dossiers.demo.plans import CONVERSION, IN_PERSON, LOAN, ONLINE, POST, POVERTY, STARTUP, Plan, Step

SINCE_REFORM = (
    Plan(
        DUYEN,
        CONVERSION,
        "Chuyển hộ kinh doanh Kẹo dừa Mỹ Duyên (kẹo dừa sầu riêng Cái Mơn) lên công ty TNHH để bán cho "
        "siêu thị.",
        IN_PERSON,
        datetime.date(2025, 10, 6),
        (
            Step("submit"),
            Step("receive"),
            Step("start", 1),
            Step(
                "complete",
                2,
                "Đã hướng dẫn lập hồ sơ; Công ty TNHH Kẹo dừa Mỹ Duyên được cấp Giấy chứng nhận đăng ký "
                "doanh "
                "nghiệp, mã số 1301234567, miễn lệ phí đăng ký lần đầu; được tư vấn miễn phí về thuế và "
                "kế toán "
                "trong 3 năm.",
            ),
            Step("return", 1),
            Step("rate", 1, "Cán bộ xã hướng dẫn tận tình, đúng hẹn.", rating=5),
        ),
    ),
    Plan(
        LOC,
        POVERTY,
        "Đăng ký nuôi bò sinh sản giống bò Ba Tri để thoát nghèo.",
        IN_PERSON,
        200,
        (
            Step("submit"),
            Step("receive"),
            Step("start", 1),
            Step(
                "complete",
                6,
                "Gia đình được hỗ trợ kế hoạch nuôi 2 con bò sinh sản, kết nối vay 40.000.000 ₫ từ Ngân hàng "
                "Chính sách xã hội; Hội Nông dân xã theo dõi và tập huấn.",
            ),
            Step("return", 2),
        ),
    ),
    Plan(
        LINH,
        CONVERSION,
        "Chuyển hộ kinh doanh bánh tráng Mỹ Lồng lên công ty TNHH.",
        ONLINE,
        150,
        (
            Step("submit"),
            Step("receive", 1),
            Step("start", 1),
            Step(
                "complete",
                1,
                "Công ty TNHH Bánh tráng Mỹ Lồng Mỹ Linh được cấp Giấy chứng nhận đăng ký doanh nghiệp, "
                "miễn lệ "
                "phí đăng ký lần đầu; được tư vấn miễn phí về thuế và kế toán trong 3 năm.",
            ),
            Step("return", 1),
            Step("rate", 1, "Thủ tục nhanh; mong có thêm hướng dẫn về hóa đơn điện tử.", rating=4),
        ),
    ),
    Plan(
        KHANG,
        LOAN,
        "Vay vốn phát triển ứng dụng truy xuất nguồn gốc trái cây cho các hợp tác xã.",
        ONLINE,
        120,
        (
            Step("submit"),
            Step("receive", 1),
            Step("start", 1),
            Step(
                "supplement",
                3,
                "Bổ sung báo cáo tài chính quý gần nhất và sao kê tài khoản 6 tháng để Quỹ thẩm định "
                "dòng tiền.",
                kinds=("bao-cao-tai-chinh",),
            ),
            Step("supply", 4),
            Step("ask", 2, "Hồ sơ của công ty đã được thẩm định đến bước nào?"),
            Step(
                "reply",
                3,
                "Quỹ đã thẩm định xong phương án; đang chờ Hội đồng quản lý Quỹ họp xét duyệt vào cuối "
                "tháng.",
            ),
            Step(
                "apologise",
                4,
                "Hội đồng quản lý Quỹ họp xét duyệt chậm hơn dự kiến do trùng lịch tổng kết năm; Quỹ "
                "xin lỗi và "
                "hẹn lại ngày trả kết quả.",
                days=17,
            ),
            Step(
                "complete",
                12,
                "Quỹ đồng ý cho vay 300.000.000 ₫ (trên 200 triệu đồng nên đã trình Ủy ban nhân dân tỉnh phê "
                "duyệt), thời hạn 48 tháng, lãi suất ưu đãi 3%/năm.",
            ),
            Step("return", 2),
            Step("rate", 1, "Kết quả tốt nhưng chậm hơn hẹn ban đầu.", rating=3),
        ),
    ),
    Plan(
        TUYET,
        POVERTY,
        "Đăng ký trồng 200 gốc bưởi da xanh để thoát nghèo.",
        IN_PERSON,
        100,
        (
            Step("submit"),
            Step("receive"),
            Step("start", 2),
            Step(
                "apologise",
                7,
                "Chờ Ngân hàng Chính sách xã hội xác nhận nguồn vốn cho vay trong quý; Tổ hỗ trợ xin "
                "lỗi và hẹn "
                "lại ngày trả kết quả.",
                days=9,
            ),
            Step(
                "complete",
                8,
                "Gia đình được hỗ trợ kế hoạch trồng 200 gốc bưởi da xanh, kết nối vay 50.000.000 ₫ từ "
                "Ngân hàng "
                "Chính sách xã hội; cán bộ theo dõi hằng quý.",
            ),
            Step("return", 3),
        ),
    ),
    Plan(
        DIEM,
        POVERTY,
        "Đăng ký nuôi cua biển trong ao tôm quảng canh để thoát nghèo.",
        IN_PERSON,
        80,
        (
            Step("submit"),
            Step("receive"),
            Step("start", 2),
            Step(
                "stop",
                6,
                "Theo kết quả rà soát giữa năm, hộ đã có thu nhập trên chuẩn cận nghèo nên không còn "
                "thuộc đối "
                "tượng; Tổ hỗ trợ hướng dẫn chị đăng ký hộ kinh doanh và vay vốn khởi nghiệp.",
            ),
        ),
    ),
    Plan(
        PHUC,
        LOAN,
        "Vay vốn cải tạo ao nuôi tôm sú theo mô hình tôm – lúa sinh thái.",
        IN_PERSON,
        70,
        (
            Step("submit"),
            Step("receive", 1),
            Step("start", 2),
            Step("payment", 5, "Nộp phí thẩm định giá tài sản bảo đảm 500.000 ₫ cho đơn vị thẩm định giá."),
            Step("paid", 3),
            Step(
                "complete",
                6,
                "Quỹ đồng ý cho vay 150.000.000 ₫, thời hạn 36 tháng, lãi suất 3%/năm, trả gốc 6 tháng "
                "một lần.",
            ),
            Step("return", 2),
        ),
    ),
    Plan(
        HAU,
        STARTUP,
        "Hỗ trợ phát triển dự án bonsai mini và hoa kiểng Chợ Lách bán trực tuyến.",
        IN_PERSON,
        60,
        (
            Step("submit"),
            Step("receive"),
            Step("start", 2),
            Step(
                "ask", 3, "Ông Hậu hỏi: dự án có được hỗ trợ gian hàng tại Lễ hội hoa kiểng Chợ Lách không?"
            ),
            Step(
                "reply", 2, "Có. Dự án được bố trí gian hàng miễn phí; thư mời được gửi trước lễ hội 2 tuần."
            ),
            Step(
                "complete",
                8,
                "Đồng ý hỗ trợ: tư vấn hoàn thiện phương án kinh doanh bonsai mini, kết nối cố vấn của "
                "Hội Sinh "
                "vật cảnh tỉnh, hỗ trợ 50% chi phí thiết kế nhãn hiệu (tối đa 10.000.000 ₫).",
            ),
        ),
    ),
    Plan(
        TRI,
        STARTUP,
        "Hỗ trợ mở rộng dây chuyền sản xuất thạch dừa hữu cơ xuất khẩu.",
        ONLINE,
        30,
        (
            Step("submit"),
            Step("receive", 1),
            Step("start", 1),
            Step("ask", 3, "Công ty có được hỗ trợ chi phí làm website bán hàng và chứng nhận HACCP không?"),
            Step(
                "reply",
                8,
                "Chi phí chứng nhận HACCP được hỗ trợ 50% theo chính sách của tỉnh; website bán hàng "
                "chưa thuộc "
                "nội dung hỗ trợ. Xin lỗi anh vì trả lời chậm.",
            ),
            Step(
                "apologise",
                1,
                "Cần ý kiến thẩm định của Sở Khoa học và Công nghệ về tính đổi mới sáng tạo của sản "
                "phẩm; Cơ quan "
                "thường trực xin lỗi và hẹn lại ngày trả kết quả.",
                days=8,
            ),
        ),
    ),
    Plan(
        YEN,
        STARTUP,
        "Hỗ trợ xây dựng thương hiệu và mã số mã vạch cho nước mắm cá cơm truyền thống Ba Tri.",
        POST,
        50,
        (Step("submit"), Step("receive", 2), Step("start", 2)),
    ),
    Plan(
        THANG,
        CONVERSION,
        "Chuyển cơ sở se chỉ xơ dừa lên doanh nghiệp.",
        IN_PERSON,
        40,
        (
            Step("submit"),
            Step("receive"),
            Step("withdraw", 1, "Gia đình quyết định tiếp tục kinh doanh theo mô hình hộ kinh doanh."),
        ),
    ),
    Plan(
        KIM_LOAN,
        POVERTY,
        "Đăng ký trồng xen sầu riêng và nuôi ong trong vườn chôm chôm để thoát nghèo.",
        IN_PERSON,
        35,
        (Step("submit"), Step("receive"), Step("start", 3)),
    ),
    Plan(
        HAN,
        CONVERSION,
        "Chuyển hộ kinh doanh kẹo dừa lên công ty để đăng ký mã số mã vạch và bán trên sàn thương mại "
        "điện tử.",
        IN_PERSON,
        30,
        (
            Step("submit"),
            Step("receive"),
            Step(
                "supplement",
                1,
                "Bản chụp Giấy chứng nhận đăng ký hộ kinh doanh bị mất góc, không đọc được số; nộp lại "
                "bản rõ nét.",
                kinds=("giay-chung-nhan-ho-kinh-doanh",),
            ),
            Step("supply", 3),
            Step(
                "supplement",
                1,
                "Xác nhận của cơ quan thuế đã quá 6 tháng; xin xác nhận mới tại Thuế cơ sở.",
                kinds=("xac-nhan-thue-ho-kinh-doanh",),
            ),
            Step(
                "ask",
                2,
                "Chị Hân hỏi: sau sáp nhập, xin xác nhận của Thuế cơ sở ở đâu, có làm trực tuyến được không?",
            ),
            Step("escalate", 6),
        ),
    ),
    Plan(
        THAO,
        LOAN,
        "Vay vốn mở rộng bãi nuôi nghêu thương phẩm đạt chuẩn VietGAP.",
        IN_PERSON,
        22,
        (
            Step("submit"),
            Step("receive"),
            Step("start", 2),
            Step(
                "payment",
                6,
                "Nộp lệ phí đăng ký thế chấp quyền sử dụng đất 80.000 ₫ tại Văn phòng đăng ký đất đai "
                "và gửi biên "
                "lai cho Quỹ.",
            ),
        ),
    ),
    Plan(
        DUYEN,
        STARTUP,
        "Hỗ trợ phát triển dòng kẹo dừa sầu riêng ít đường và bao bì mới để vào siêu thị.",
        ONLINE,
        20,
        (
            Step("submit"),
            Step("receive", 1),
            Step("start", 2),
            Step(
                "supplement",
                4,
                "Phương án chưa có kế hoạch tài chính 3 năm và giá thành sản phẩm; bổ sung bảng dự tính "
                "doanh thu, "
                "chi phí và giá thành kẹo dừa sầu riêng ít đường.",
                kinds=("phuong-an-khoi-nghiep",),
            ),
            Step("ask", 2, "Tôi chưa biết lập kế hoạch tài chính, có mẫu nào không ạ?"),
            Step(
                "reply",
                1,
                "Chị tải mẫu kế hoạch tài chính trong Thư viện chính sách của Cổng; cán bộ sẽ gọi điện "
                "hướng dẫn "
                "chị trong tuần này.",
            ),
        ),
    ),
    Plan(
        TRAM,
        STARTUP,
        "Hỗ trợ đóng gói, in nhãn và đưa bánh phồng Sơn Đốc lên sàn thương mại điện tử.",
        IN_PERSON,
        18,
        (Step("submit"), Step("receive", 1), Step("start", 2)),
    ),
    Plan(
        TAI,
        CONVERSION,
        "Chuyển hộ kinh doanh cá khô lên doanh nghiệp.",
        IN_PERSON,
        16,
        (
            Step("submit"),
            Step(
                "refuse",
                0,
                "Hộ kinh doanh mới hoạt động 7 tháng, chưa đủ 1 năm nên chưa thuộc đối tượng hỗ trợ "
                "chuyển đổi; "
                "mời ông nộp lại khi đủ 1 năm.",
            ),
        ),
    ),
    Plan(
        QUANG,
        LOAN,
        "Vay vốn xây nhà lưới sản xuất cây giống sầu riêng, bưởi sạch bệnh.",
        ONLINE,
        12,
        (Step("submit"), Step("receive", 1), Step("start", 2)),
    ),
    Plan(
        DUYEN,
        LOAN,
        "Vay vốn mua máy đóng gói kẹo dừa tự động.",
        ONLINE,
        7,
        documents=("giay-de-nghi-vay-von",),
    ),
    Plan(
        NGHIA,
        POVERTY,
        "Đăng ký nuôi dê thịt để thoát nghèo.",
        IN_PERSON,
        4,
        (
            Step("submit"),
            Step("receive"),
            Step(
                "ask",
                1,
                "Ông Nghĩa hỏi: được vay Ngân hàng Chính sách xã hội bao nhiêu để mua dê giống, có cần "
                "thế chấp không?",
            ),
        ),
    ),
    Plan(
        NAM,
        STARTUP,
        "Hỗ trợ dự án du lịch trải nghiệm làm kẹo dừa và chèo xuồng trên rạch ở Cồn Phụng.",
        POST,
        3,
        (Step("submit"),),
    ),
    Plan(
        TRANG,
        CONVERSION,
        "Chuyển hộ kinh doanh mỹ nghệ gáo dừa lên công ty TNHH để xuất khẩu.",
        ONLINE,
        1,
        (Step("submit"),),
    ),
)
