"""Reference data from Hướng dẫn 29-HD/ĐUK: the four lĩnh vực (§II.1), the criteria verbatim (§II.2.1) and the
fixed wording of the forms (forms.md). All of it stays editable in the admin."""

from django.db import migrations

FIELDS = [
    (
        "xay-dung-dang",
        "Xây dựng Đảng và hệ thống chính trị",
        "Công tác xây dựng, chỉnh đốn Đảng; học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh; trách "
        "nhiệm nêu gương của cán bộ, đảng viên; giám sát và phản biện xã hội; cải cách hành chính; thực hiện quy chế "
        "dân chủ ở cơ sở, đối thoại của cấp ủy, lãnh đạo cơ quan, đơn vị với cán bộ, công chức, người lao động, với "
        "nhân dân; ứng dụng công nghệ thông tin vào công tác...",
    ),
    (
        "phat-trien-kinh-te",
        "Phát triển kinh tế",
        "Tuyên truyền, hướng dẫn, triển khai các chương trình mục tiêu quốc gia; vận động Nhân dân đóng góp xây dựng "
        "nông thôn mới, đô thị văn minh; chuyển dịch cơ cấu kinh tế nông nghiệp, ứng dụng khoa học - công nghệ, "
        "nông nghiệp an toàn (VietGAP, GlobalGAP, hữu cơ…); liên kết sản xuất theo chuỗi giá trị; sản xuất kinh "
        "doanh giỏi, làm giàu chính đáng; bảo vệ môi trường, phòng, chống biến đổi khí hậu...",
    ),
    (
        "van-hoa-xa-hoi",
        "Văn hóa - xã hội",
        "Thực hiện văn hóa công sở, văn hóa công vụ; đảng viên giữ mối liên hệ với tổ chức đảng và nhân dân nơi cư "
        "trú (Quy định 213-QĐ/TW); cuộc vận động “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”; sân "
        "hoạt động cộng đồng; an sinh xã hội, chăm sóc gia đình chính sách, người nghèo, người neo đơn; nhân đạo, "
        "từ thiện...",
    ),
    (
        "quoc-phong-an-ninh",
        "Quốc phòng - an ninh",
        "Phong trào “Toàn dân tham gia bảo vệ an ninh Tổ quốc”; giải quyết tốt các vấn đề nổi cộm, bức xúc trong "
        "Nhân dân, không để xảy ra “điểm nóng” (đất đai, môi trường, bồi thường, giải phóng mặt bằng, tái định cư); "
        "phòng chống dịch bệnh, thiên tai, hỏa hoạn, cứu hộ, cứu nạn…",
    ),
]

COLLECTIVE = [
    (
        "Có tên, địa chỉ, nội dung thuộc một trong các lĩnh vực: Xây dựng Đảng và hệ thống chính trị; phát triển kinh "
        "tế; văn hóa - xã hội; quốc phòng- an ninh, có đăng ký với quan phát động, triển khai phong trào thi đua "
        "“Dân vận khéo”.",
        20,
    ),
    (
        "Có sự lãnh đạo, chỉ đạo của cơ quan quản lý trực tiếp (cấp ủy, lãnh đạo đơn vị); có sự phối hợp với các cơ "
        "quan, đơn vị, doanh nghiệp, tập thể hoặc cá nhân liên quan trong việc xây dựng mô hình (theo thực tế của mô "
        "hình).",
        20,
    ),
    (
        "Tạo sự đồng thuận, huy động được sự tham gia của tập thể, cá nhân; giải quyết được những vấn đề bức xúc, "
        "những việc mới, việc khó, những nhiệm vụ chính trị mà cấp ủy, lãnh đạo cơ quan, đơn vị, doanh nghiệp đã có "
        "chủ trương và đang tập trung tổ chức thực hiện.",
        20,
    ),
    (
        "Có tính đột phá, cách làm hay, sáng tạo, mang lại hiệu quả nổi bật so với trước khi chưa thực hiện mô hình "
        "hoặc các mô hình đã thực hiện trước đó; có tính bền vững, có khả năng nhân rộng ở cơ quan, đơn vị, doanh "
        "nghiệp.",
        20,
    ),
    (
        "Được tổ chức, cơ quan có thẩm quyền (Đảng ủy Khối; đảng ủy cơ sở, chi bộ) xác nhận.",
        20,
    ),
]

INDIVIDUAL = [
    (
        "Có phẩm chất chính trị tốt, đạo đức, lối sống lành mạnh; tích cực học tập và làm theo tư tưởng, đạo đức, "
        "phong cách Hồ Chí Minh, nắm vững đường lối, chủ trương của Đảng, chính sách, pháp luật của Nhà nước; tích "
        "cực lao động, học tập, lao động sáng tạo; tham gia phòng, chống tham nhũng, tiêu cực; vận động cán bộ, đảng "
        "viên, quần chúng và Nhân dân làm theo, tạo được niềm tin của cán bộ, đảng viên, quần chúng và Nhân dân;",
        30,
    ),
    (
        "Có ý tưởng hay, cách làm sáng tạo, tham mưu được những giải pháp đúng đắn cho cấp ủy đảng, chính quyền để "
        "giải quyết những vấn đề bức xúc trong Nhân dân kịp thời, hiệu quả;",
        35,
    ),
    (
        "Phải có tinh thần, thái độ phục vụ Nhân dân tận tình, giải quyết công việc đúng hoặc sớm hơn thời gian quy "
        "định, biết lắng nghe dân, giải thích, hướng dẫn rõ ràng, cụ thể những điều người dân cần biết trong phạm vi "
        "trách nhiệm, thẩm quyền; có phong cách gần dân, học dân và lắng nghe ý kiến của dân; vui vẻ khi tiếp xúc, "
        "phục vụ dân, biết xin lỗi dân khi thiếu sót trong công việc, nên cảm ơn khi dân góp ý, phê bình; vận động "
        "dân cùng lo và cùng làm việc chung của xã hội; không có biểu hiện vụ lợi, nhũng nhiễu, gây phiền hà cho "
        "dân, không vô cảm trước bức xúc, khó khăn của dân, không thờ ơ, thiếu trách nhiệm đối với dân.",
        35,
    ),
]

MOVEMENT = "“Dân vận khéo”"
FORM_TEXTS = [
    ("*", "party_national", "ĐẢNG CỘNG SẢN VIỆT NAM"),
    ("*", "state_national", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("*", "state_motto", "Độc lập - Tự do - Hạnh phúc"),
    ("*", "guidance_ref", "Hướng dẫn số 29-HD/ĐUK, ngày 16/4/2024 của Ban Chấp hành Đảng bộ Khối các cơ quan tỉnh"),
    (
        "*",
        "commitment",
        f"Chúng tôi cam kết thực hiện nghiêm túc nội dung đã đăng ký, định kỳ báo cáo kết quả xây dựng mô hình "
        f"{MOVEMENT} với cơ quan tiếp nhận đăng ký theo quy định.",
    ),
    ("mau_1", "title", "BẢN ĐĂNG KÝ"),
    ("mau_1", "subject", f"xây dựng mô hình {MOVEMENT} năm {{year}}"),
    ("mau_1a", "title", "BẢN ĐĂNG KÝ"),
    ("mau_1a", "subject", f"xây dựng mô hình {MOVEMENT} năm {{year}}"),
    ("mau_2", "title", "BẢN ĐĂNG KÝ"),
    ("mau_2", "subject", f"xây dựng mô hình {MOVEMENT} năm {{year}}"),
    (
        "mau_2",
        "commitment",
        f"Tôi cam kết thực hiện nghiêm túc nội dung đã đăng ký, định kỳ báo cáo kết quả xây dựng mô hình {MOVEMENT} "
        "với chi bộ.",
    ),
    ("mau_2a", "title", "BẢN ĐĂNG KÝ"),
    ("mau_2a", "subject", f"xây dựng mô hình {MOVEMENT} năm {{year}}"),
    (
        "mau_2a",
        "commitment",
        f"Tôi cam kết thực hiện nghiêm túc nội dung đã đăng ký, định kỳ báo cáo kết quả xây dựng mô hình {MOVEMENT} "
        "với cơ quan, đơn vị.",
    ),
    ("mau_3", "title", "DANH SÁCH"),
    ("mau_3", "subject", f"tập thể, cá nhân đăng ký xây dựng mô hình {MOVEMENT} năm {{year}}"),
    ("mau_4", "title", "BÁO CÁO"),
    ("mau_4", "subject", f"kết quả rà soát, đánh giá mô hình {MOVEMENT} năm {{year}}"),
    ("mau_5", "title", "BÁO CÁO"),
    ("mau_5", "subject", f"kết quả thực hiện mô hình {MOVEMENT} (đề nghị xác nhận)"),
    ("mau_5a", "title", "BIÊN BẢN"),
    ("mau_5a", "subject", f"họp xét, xác nhận mô hình {MOVEMENT} năm {{year}}"),
    ("mau_5b", "title", "QUYẾT ĐỊNH"),
    ("mau_5b", "subject", f"xác nhận mô hình {MOVEMENT} năm {{year}}"),
    ("mau_6", "title", "BÁO CÁO THÀNH TÍCH"),
    ("mau_6", "subject", f"điển hình {MOVEMENT}"),
    ("mau_6a", "title", "BIÊN BẢN"),
    ("mau_6a", "subject", f"họp xét, xác nhận điển hình {MOVEMENT} cấp cơ sở năm {{year}}"),
    ("mau_6b", "title", "QUYẾT ĐỊNH"),
    ("mau_6b", "subject", f"xác nhận điển hình {MOVEMENT} cấp cơ sở năm {{year}}"),
    ("mau_7", "title", "TỜ TRÌNH"),
    ("mau_7", "subject", f"đề nghị xác nhận điển hình {MOVEMENT} cấp Đảng bộ Khối năm {{year}}"),
    ("mau_7a", "title", "BÁO CÁO"),
    ("mau_7a", "subject", f"thẩm định hồ sơ đề nghị xác nhận điển hình {MOVEMENT} năm {{year}}"),
    ("mau_7b", "title", "QUYẾT ĐỊNH"),
    ("mau_7b", "subject", f"xác nhận điển hình {MOVEMENT} cấp Đảng bộ Khối năm {{year}}"),
]


def seed(apps, schema_editor):
    Field = apps.get_model("registry", "Field")
    Criterion = apps.get_model("registry", "Criterion")
    FormText = apps.get_model("registry", "FormText")
    for order, (code, name, hint) in enumerate(FIELDS, start=1):
        Field.objects.update_or_create(code=code, defaults={"name": name, "hint": hint, "order": order})
    for group, rows in (("collective", COLLECTIVE), ("individual", INDIVIDUAL)):
        for number, (text, max_score) in enumerate(rows, start=1):
            Criterion.objects.update_or_create(
                group=group, number=number, defaults={"text": text, "max_score": max_score}
            )
    for form_code, key, text in FORM_TEXTS:
        FormText.objects.update_or_create(form_code=form_code, key=key, defaults={"text": text})


def unseed(apps, schema_editor):
    apps.get_model("registry", "FormText").objects.filter(key__in={key for _, key, _ in FORM_TEXTS}).delete()
    apps.get_model("registry", "Criterion").objects.all().delete()
    apps.get_model("registry", "Field").objects.filter(code__in=[code for code, _, _ in FIELDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
