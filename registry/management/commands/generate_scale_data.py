"""``manage.py generate_scale_data``: a large made-up data set for benchmarks (registry.scale_data)."""

import time

from django.core.management.base import BaseCommand, CommandError

from registry.models import Registration
from registry.scale_data import ScaleGenerator


class Command(BaseCommand):
    help = (
        "Sinh dữ liệu giả lập quy mô lớn để đo hiệu năng: cây đơn vị, cá nhân, tài khoản và các mô hình đăng ký qua "
        "nhiều năm ở mọi trạng thái, kèm lịch sử trạng thái, rà soát, cuộc họp xét, phiếu thẩm định và văn bản. "
        "Không chạy trên cơ sở dữ liệu đã có mô hình, trừ khi thêm --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=100_000, help="Số đơn vị (mặc định 100000).")
        parser.add_argument("--registrations", type=int, default=1_000_000, help="Số mô hình (mặc định 1000000).")
        parser.add_argument("--years", type=int, default=3, help="Số năm, tính đến năm nay (mặc định 3).")
        parser.add_argument("--seed", type=int, default=2024, help="Hạt giống ngẫu nhiên, để sinh lại đúng dữ liệu.")
        parser.add_argument("--batch-size", type=int, default=5000, help="Số dòng mỗi lệnh INSERT (mặc định 5000).")
        parser.add_argument("--force", action="store_true", help="Chạy cả khi cơ sở dữ liệu đã có mô hình.")

    def handle(self, *args, units, registrations, years, seed, batch_size, force, **options):
        if units < 8 or registrations < 0 or years < 1 or batch_size < 1:
            raise CommandError("Cần ít nhất 8 đơn vị, 1 năm, số mô hình không âm và cỡ lô dương.")
        if not force and Registration.objects.exists():
            raise CommandError(
                "Cơ sở dữ liệu đã có mô hình đăng ký; dữ liệu giả lập sẽ trộn lẫn với dữ liệu thật. "
                "Hãy dùng một cơ sở dữ liệu riêng, hoặc thêm --force nếu chắc chắn."
            )
        started = time.monotonic()
        generator = ScaleGenerator(
            units=units,
            registrations=registrations,
            years=years,
            seed=seed,
            batch_size=batch_size,
            log=lambda message: self.stdout.write(f"{message} ({time.monotonic() - started:.0f} s)"),
        )
        try:
            counts = generator.run()
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Xong sau {elapsed:.1f} giây:"))
        for name, count in sorted(counts.items()):
            self.stdout.write(f"  {name}: {count:,}")
